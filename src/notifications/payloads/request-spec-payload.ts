import type { RequestSpec } from '../../objects/request-spec.js';
import { versionedObject, type VersionedObject } from '../notification.js';
import { destinationPayload, type DestinationPayload } from './destination-payload.js';
import { flavorPayload, type FlavorPayload } from './flavor-payload.js';
import { imageMetaPayload, type ImageMetaPayload } from './image-meta-payload.js';
import { serverGroupPayload, type ServerGroupPayload } from './server-group-payload.js';

/** InstancePCIRequestsPayload 1.0; Tessera asks for no PCI devices, so `requests` is empty. */
export interface InstancePciRequestsPayloadData {
  instance_uuid: string;
  requests: never[];
}

/** RequestSpecPayload 1.1: what the scheduler was asked. */
export interface RequestSpecPayloadData {
  instance_uuid: string;
  project_id: string;
  user_id: string;
  availability_zone: string | null;
  flavor: FlavorPayload;
  force_hosts: string | null;
  force_nodes: string | null;
  ignore_hosts: string[] | null;
  image: ImageMetaPayload;
  instance_group: ServerGroupPayload | null;
  numa_topology: null;
  pci_requests: VersionedObject<InstancePciRequestsPayloadData>;
  num_instances: number;
  requested_destination: DestinationPayload | null;
  retry: null;
  scheduler_hints: Record<string, string[]>;
  security_groups: string[];
}

export type RequestSpecPayload = VersionedObject<RequestSpecPayloadData>;

/**
 * Tessera has no NUMA topologies, forced hosts or retry records in its request specs (null
 * here), and every server is in the `default` security group (as the API shows it).
 */
export function requestSpecPayload(spec: RequestSpec): RequestSpecPayload {
  return versionedObject('RequestSpecPayload', '1.1', {
    instance_uuid: spec.instance_uuid,
    project_id: spec.project_id,
    user_id: spec.user_id,
    availability_zone: spec.availability_zone,
    flavor: flavorPayload(spec.flavor),
    force_hosts: null,
    force_nodes: null,
    ignore_hosts: [...spec.ignore_hosts],
    image: imageMetaPayload(spec.image),
    instance_group: spec.instance_group === null || spec.instance_group === undefined ? null : serverGroupPayload(spec.instance_group),
    numa_topology: null,
    pci_requests: versionedObject('InstancePCIRequestsPayload', '1.0', { instance_uuid: spec.instance_uuid, requests: [] }),
    num_instances: spec.num_instances,
    requested_destination: spec.requested_destination === null ? null : destinationPayload(spec.requested_destination),
    retry: null,
    scheduler_hints: Object.fromEntries(Object.entries(spec.scheduler_hints).map(([k, v]) => [k, [...v]])),
    security_groups: ['default'],
  });
}
