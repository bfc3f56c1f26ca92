import type { Flavor } from '../../objects/flavor.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** FlavorPayload 1.4: the flavor an instance carries (its own copy). */
export interface FlavorPayloadData {
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  vcpu_weight: number | null;
  disabled: boolean;
  is_public: boolean;
  extra_specs: Record<string, string>;
  /** Always null: an instance's copy of its flavor does not know the projects it is shared with, as in Nova. */
  projects: string[] | null;
  description: string | null;
}

export type FlavorPayload = VersionedObject<FlavorPayloadData>;

export function flavorPayload(flavor: Flavor): FlavorPayload {
  return versionedObject('FlavorPayload', '1.4', {
    flavorid: flavor.flavorid,
    name: flavor.name,
    memory_mb: flavor.memory_mb,
    vcpus: flavor.vcpus,
    root_gb: flavor.root_gb,
    ephemeral_gb: flavor.ephemeral_gb,
    swap: flavor.swap,
    rxtx_factor: flavor.rxtx_factor,
    vcpu_weight: flavor.vcpu_weight,
    disabled: flavor.disabled,
    is_public: flavor.is_public,
    extra_specs: { ...flavor.extra_specs },
    projects: null,
    description: flavor.description,
  });
}
