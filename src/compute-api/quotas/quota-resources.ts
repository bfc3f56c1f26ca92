import type { Config } from '../../config/index.js';

/**
 * Every resource of Nova's quota engine, in the alphabetical order Nova lists them. The last
 * four are the nova-network ones that Nova keeps only so that old responses keep their shape:
 * unlimited, never counted, and gone from the API at 2.36.
 */
export const QUOTA_RESOURCES = [
  'cores',
  'fixed_ips',
  'floating_ips',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
  'injected_files',
  'instances',
  'key_pairs',
  'metadata_items',
  'ram',
  'security_group_rules',
  'security_groups',
  'server_group_members',
  'server_groups',
] as const;

export type QuotaResource = (typeof QUOTA_RESOURCES)[number];
export type QuotaValues = Record<QuotaResource, number>;

/** Dropped from quota sets at 2.36 (Nova's FILTERED_QUOTAS_v236). */
const NETWORK_RESOURCES: readonly QuotaResource[] = ['fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'];
/** Dropped as well at 2.57, with personality files (FILTERED_QUOTAS_v257). */
const INJECTED_FILE_RESOURCES: readonly QuotaResource[] = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** The resources a quota set shows and accepts at a microversion (its minor number). */
export function quotaResourcesAt(minor: number): QuotaResource[] {
  return QUOTA_RESOURCES.filter((r) => (minor < 36 || !NETWORK_RESOURCES.includes(r)) && (minor < 57 || !INJECTED_FILE_RESOURCES.includes(r)));
}

/** True when a limit lets any amount through. */
export function isUnlimited(limit: number): boolean {
  return limit < 0;
}

/**
 * The defaults of every resource: the `[quota]` options, and -1 for the nova-network ones, which
 * have no option any more (as in Nova).
 */
export function defaultQuotas(config: Pick<Config, 'quota'>): QuotaValues {
  const q = config.quota;
  return {
    cores: q.cores,
    fixed_ips: -1,
    floating_ips: -1,
    injected_file_content_bytes: q.injected_file_content_bytes,
    injected_file_path_bytes: q.injected_file_path_length,
    injected_files: q.injected_files,
    instances: q.instances,
    key_pairs: q.key_pairs,
    metadata_items: q.metadata_items,
    ram: q.ram,
    security_group_rules: -1,
    security_groups: -1,
    server_group_members: q.server_group_members,
    server_groups: q.server_groups,
  };
}
