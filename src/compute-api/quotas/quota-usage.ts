import type { ApiRepos } from '../../db/api/api-repos.js';
import { countInstanceUsage, type InstanceUsageDeps } from './instance-usage.js';
import { QUOTA_RESOURCES, type QuotaValues } from './quota-resources.js';

/** What counting a project's usage needs. */
export interface QuotaUsageDeps extends InstanceUsageDeps {
  api: InstanceUsageDeps['api'] & Pick<ApiRepos, 'serverGroups'>;
}

/**
 * What a project (or one user of it) uses of every resource, as `GET /limits` and the quota-set
 * detail show it and as an update is validated against. Like Nova's DbQuotaDriver, only
 * instances, cores, ram and server groups are counted here: key pairs (per user) and server group
 * members (per group) are counted where they are checked, and show 0; the other resources are
 * plain limits with nothing to count.
 */
export async function quotaUsage(deps: QuotaUsageDeps, projectId: string, userId?: string): Promise<QuotaValues> {
  const usage = Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, 0])) as QuotaValues;
  const instances = await countInstanceUsage(deps, projectId, userId);
  usage.instances = instances.instances;
  usage.cores = instances.cores;
  usage.ram = instances.ram;
  usage.server_groups = await deps.api.serverGroups.countOf(projectId, userId);
  return usage;
}
