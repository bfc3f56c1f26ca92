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
