import { versionedObject, type VersionedObject } from '../notification.js';
import type { ExceptionPayload } from './exception-payload.js';
import { instanceActionPayloadData, type InstanceActionPayloadData } from './instance-action-payload.js';
import type { InstancePayloadSource } from './instance-payload.js';

/** KeypairPayload 1.0, the shape of `keypairs` entries. */
export interface KeypairPayloadData {
  user_id: string | null;
  name: string;
  fingerprint: string | null;
  public_key: string | null;
  type: string;
}

/** InstanceCreatePayload 1.13: what `instance.create.*` carries besides the action payload. */
export interface InstanceCreatePayloadData extends InstanceActionPayloadData {
  /**
   * Always empty: Nova copies the key pair into the instance at boot, Tessera keeps only its name
   * (`key_name`), and the compute cannot read the API database where the key pair lives.
   */
  keypairs: VersionedObject<KeypairPayloadData>[];
  tags: string[];
  /** Null: Tessera does not take trusted image certificates. */
  trusted_image_certificates: string[] | null;
  /** The hypervisor's name of the guest, `instance-` and the id in 8 hex digits, as the API shows it. */
  instance_name: string;
}

export type InstanceCreatePayload = VersionedObject<InstanceCreatePayloadData>;

export function instanceCreatePayload(source: InstancePayloadSource & { tags: readonly string[] }, fault: ExceptionPayload | null): InstanceCreatePayload {
  return versionedObject('InstanceCreatePayload', '1.13', {
    ...instanceActionPayloadData(source, fault),
    keypairs: [],
    tags: [...source.tags],
    trusted_image_certificates: null,
    instance_name: `instance-${source.instance.id.toString(16).padStart(8, '0')}`,
  });
}
