import { versionedObject, type VersionedObject } from '../notification.js';
import type { ExceptionPayload } from './exception-payload.js';
import { INSTANCE_PAYLOAD_VERSION, instancePayloadData, type InstancePayloadData, type InstancePayloadSource } from './instance-payload.js';

/** InstanceActionPayload 1.9: the instance and, for `*.error`, why the action failed. */
export interface InstanceActionPayloadData extends InstancePayloadData {
  fault: ExceptionPayload | null;
}

export type InstanceActionPayload = VersionedObject<InstanceActionPayloadData>;

export function instanceActionPayloadData(source: InstancePayloadSource, fault: ExceptionPayload | null): InstanceActionPayloadData {
  return { ...instancePayloadData(source), fault };
}

/** The payload of `instance.<action>.<phase>` for most actions (power, reboot, delete, resize...). */
export function instanceActionPayload(source: InstancePayloadSource, fault: ExceptionPayload | null): InstanceActionPayload {
  return versionedObject('InstanceActionPayload', INSTANCE_PAYLOAD_VERSION, instanceActionPayloadData(source, fault));
}
