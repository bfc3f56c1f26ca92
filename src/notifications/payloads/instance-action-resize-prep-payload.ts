import type { Flavor } from '../../objects/flavor.js';
import { versionedObject, type VersionedObject } from '../notification.js';
import type { ExceptionPayload } from './exception-payload.js';
import { flavorPayload, type FlavorPayload } from './flavor-payload.js';
import { instanceActionPayloadData, type InstanceActionPayloadData } from './instance-action-payload.js';
import type { InstancePayloadSource } from './instance-payload.js';

/** InstanceActionResizePrepPayload 1.4: the action payload and the flavor being resized to. */
export interface InstanceActionResizePrepPayloadData extends InstanceActionPayloadData {
  new_flavor: FlavorPayload | null;
}

export type InstanceActionResizePrepPayload = VersionedObject<InstanceActionResizePrepPayloadData>;

/** The payload of `instance.resize_prep.*`; `flavor` is still the current one. */
export function instanceActionResizePrepPayload(source: InstancePayloadSource, fault: ExceptionPayload | null, newFlavor: Flavor | null): InstanceActionResizePrepPayload {
  return versionedObject('InstanceActionResizePrepPayload', '1.4', {
    ...instanceActionPayloadData(source, fault),
    new_flavor: newFlavor === null ? null : flavorPayload(newFlavor),
  });
}
