import type { VolumeUsage } from './quota-usage-repo.js';

/** The limits on every project (from `[cinder] quota_*`); -1 is unlimited. */
export interface VolumeLimits {
  volumes: number;
  gigabytes: number;
  snapshots: number;
  backups: number;
  backupGigabytes: number;
  /** Largest single volume in GB. */
  perVolumeGigabytes: number;
}

/** The `[cinder]` options the limits come from. */
export interface VolumeQuotaOptions {
  readonly quota_volumes: number;
  readonly quota_gigabytes: number;
  readonly quota_snapshots: number;
  readonly quota_backups: number;
  readonly quota_backup_gigabytes: number;
  readonly per_volume_size_limit: number;
}

export function volumeLimitsFromConfig(options: VolumeQuotaOptions): VolumeLimits {
  return {
    volumes: options.quota_volumes,
    gigabytes: options.quota_gigabytes,
    snapshots: options.quota_snapshots,
    backups: options.quota_backups,
    backupGigabytes: options.quota_backup_gigabytes,
    perVolumeGigabytes: options.per_volume_size_limit,
  };
}

/**
 * Cinder's `limits.absolute`: the max* keys always, the total*Used keys only when the caller may
 * see usage (`limits_extension:used_limits`). Tessera has no snapshots or backups, so those are
 * used 0.
 *
 * @example
 * absoluteLimits(limits, { volumes: 1, gigabytes: 2 }).totalGigabytesUsed; // 2
 */
export function absoluteLimits(limits: VolumeLimits, usage: VolumeUsage | undefined): Record<string, number> {
  const out: Record<string, number> = {
    maxTotalVolumes: limits.volumes,
    maxTotalVolumeGigabytes: limits.gigabytes,
    maxTotalSnapshots: limits.snapshots,
    maxTotalBackups: limits.backups,
    maxTotalBackupGigabytes: limits.backupGigabytes,
  };
  if (usage === undefined) return out;
  return {
    ...out,
    totalVolumesUsed: usage.volumes,
    totalGigabytesUsed: usage.gigabytes,
    totalSnapshotsUsed: 0,
    totalBackupsUsed: 0,
    totalBackupGigabytesUsed: 0,
  };
}

/** One resource of a quota set shown with its usage (Cinder's `?usage=True`). */
export interface VolumeQuotaUsage {
  limit: number;
  in_use: number;
  reserved: number;
}

/**
 * Cinder's quota set of a project: the limits Tessera enforces or reports (the same for every
 * project: there are no per-project volume quotas yet), each with its usage when `usage` is
 * given. Tessera has no snapshots, backups or volume groups, so those are used 0 and groups are
 * left out.
 */
export function volumeQuotaSet(limits: VolumeLimits, usage?: VolumeUsage): Record<string, number | VolumeQuotaUsage> {
  const values: [string, number, number][] = [
    ['volumes', limits.volumes, usage?.volumes ?? 0],
    ['gigabytes', limits.gigabytes, usage?.gigabytes ?? 0],
    ['snapshots', limits.snapshots, 0],
    ['backups', limits.backups, 0],
    ['backup_gigabytes', limits.backupGigabytes, 0],
    ['per_volume_gigabytes', limits.perVolumeGigabytes, 0],
  ];
  return Object.fromEntries(values.map(([name, limit, inUse]) => [name, usage === undefined ? limit : { limit, in_use: inUse, reserved: 0 }]));
}
