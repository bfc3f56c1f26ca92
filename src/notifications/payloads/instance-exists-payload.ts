import { versionedObject, type VersionedObject } from '../notification.js';
import type { AuditPeriodPayload } from './audit-period-payload.js';
import { instancePayloadData, type InstancePayloadData, type InstancePayloadSource } from './instance-payload.js';

/**
 * InstanceExistsPayload 2.1: the instance and the audit period it existed in. Nova dropped the
 * `bandwidth` field in 2.0 (it had nothing left to fill it with), so it is not here.
 */
export interface InstanceExistsPayloadData extends InstancePayloadData {
  audit_period: AuditPeriodPayload;
}

export type InstanceExistsPayload = VersionedObject<InstanceExistsPayloadData>;

export function instanceExistsPayload(source: InstancePayloadSource, auditPeriod: AuditPeriodPayload): InstanceExistsPayload {
  return versionedObject('InstanceExistsPayload', '2.1', { ...instancePayloadData(source), audit_period: auditPeriod });
}
