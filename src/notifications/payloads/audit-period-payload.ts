import { versionedObject, type VersionedObject } from '../notification.js';
import { payloadTime } from './payload-time.js';

/** AuditPeriodPayload 1.0: the usage period an `instance.exists` covers. */
export interface AuditPeriodPayloadData {
  audit_period_beginning: string;
  audit_period_ending: string;
}

export type AuditPeriodPayload = VersionedObject<AuditPeriodPayloadData>;

export function auditPeriodPayload(period: { beginning: Date; ending: Date }): AuditPeriodPayload {
  return versionedObject('AuditPeriodPayload', '1.0', {
    audit_period_beginning: payloadTime(period.beginning.toISOString()) as string,
    audit_period_ending: payloadTime(period.ending.toISOString()) as string,
  });
}
