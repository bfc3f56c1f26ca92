import type { RequestSpec } from '../../objects/request-spec.js';
import { versionedObject, type VersionedObject } from '../notification.js';
import type { ExceptionPayload } from './exception-payload.js';
import { requestSpecPayload, type RequestSpecPayload } from './request-spec-payload.js';

/** ComputeTaskPayload 1.0: a conductor task that failed, for `compute_task.<task>.error`. */
export interface ComputeTaskPayloadData {
  instance_uuid: string;
  request_spec: RequestSpecPayload | null;
  /** The vm_state the instance was left in. */
  state: string | null;
  reason: ExceptionPayload;
}

export type ComputeTaskPayload = VersionedObject<ComputeTaskPayloadData>;

export function computeTaskPayload(input: { instanceUuid: string; requestSpec: RequestSpec | null; state: string | null; reason: ExceptionPayload }): ComputeTaskPayload {
  return versionedObject('ComputeTaskPayload', '1.0', {
    instance_uuid: input.instanceUuid,
    request_spec: input.requestSpec === null ? null : requestSpecPayload(input.requestSpec),
    state: input.state,
    reason: input.reason,
  });
}
