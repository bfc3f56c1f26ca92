import type { QuotaResource, QuotaValues } from '../../compute-api/quotas/quota-resources.js';
import { atLeast, type Microversion } from '../microversion.js';

// Which absolute limits each resource shows as (Nova's limits view builder).
const LIMIT_NAMES: readonly [QuotaResource, string][] = [
  ['ram', 'maxTotalRAMSize'],
  ['instances', 'maxTotalInstances'],
  ['cores', 'maxTotalCores'],
  ['key_pairs', 'maxTotalKeypairs'],
  ['floating_ips', 'maxTotalFloatingIps'],
  ['metadata_items', 'maxServerMeta'],
  ['metadata_items', 'maxImageMeta'],
  ['injected_files', 'maxPersonality'],
  ['injected_file_content_bytes', 'maxPersonalitySize'],
  ['security_groups', 'maxSecurityGroups'],
  ['security_group_rules', 'maxSecurityGroupRules'],
  ['server_groups', 'maxServerGroups'],
  ['server_group_members', 'maxServerGroupMembers'],
];
const USED_NAMES: readonly [string, QuotaResource][] = [
  ['totalRAMUsed', 'ram'],
  ['totalCoresUsed', 'cores'],
  ['totalInstancesUsed', 'instances'],
  ['totalFloatingIpsUsed', 'floating_ips'],
  ['totalSecurityGroupsUsed', 'security_groups'],
  ['totalServerGroupsUsed', 'server_groups'],
];
const GONE_AT_236: readonly QuotaResource[] = ['floating_ips', 'security_groups', 'security_group_rules'];
const GONE_AT_257: readonly QuotaResource[] = [...GONE_AT_236, 'injected_files', 'injected_file_content_bytes'];

/**
 * The body of GET /limits: no rate limits, and the absolute limits and usage of the project as
 * Nova names them, per microversion: the nova-network keys go at 2.36, `maxImageMeta` at 2.39,
 * the personality keys at 2.57.
 */
export function limitsView(mv: Microversion, limits: QuotaValues, usage: QuotaValues): { limits: { rate: never[]; absolute: Record<string, number> } } {
  const gone = atLeast(mv, '2.57') ? GONE_AT_257 : atLeast(mv, '2.36') ? GONE_AT_236 : [];
  const absolute: Record<string, number> = {};
  for (const [resource, name] of LIMIT_NAMES) {
    if (gone.includes(resource) || (name === 'maxImageMeta' && atLeast(mv, '2.39'))) continue;
    absolute[name] = limits[resource];
  }
  for (const [name, resource] of USED_NAMES) if (!gone.includes(resource)) absolute[name] = usage[resource];
  return { limits: { rate: [], absolute } };
}
