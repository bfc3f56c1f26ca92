import type { Config } from '../../config/index.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import { defaultQuotas, QUOTA_RESOURCES, type QuotaValues } from './quota-resources.js';

/** What reading a project's limits needs. */
export interface ProjectQuotaDeps {
  api: Pick<ApiRepos, 'quotas'>;
  config: Pick<Config, 'quota'>;
}

/**
 * The limits that apply to a project: its own where an administrator set one, the defaults for
 * the rest. Rows for resources Tessera does not know (written by a newer version) are ignored.
 *
 * @example
 * const limits = await projectQuotas(deps, ctx.projectId);
 * if (!isUnlimited(limits.instances) && used + 1 > limits.instances) throw ...;
 */
export async function projectQuotas(deps: ProjectQuotaDeps, projectId: string): Promise<QuotaValues> {
  const own = await deps.api.quotas.ofProject(projectId);
  const limits = defaultQuotas(deps.config);
  for (const resource of QUOTA_RESOURCES) {
    const value = own[resource];
    if (value !== undefined) limits[resource] = value;
  }
  return limits;
}
