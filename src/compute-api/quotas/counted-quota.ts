import { OverLimitError } from '../../common/errors.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import { projectQuotas, type ProjectQuotaDeps } from './project-quotas.js';
import { isUnlimited } from './quota-resources.js';

/** What checking the key pair and server group quotas needs. */
export interface CountedQuotaDeps extends ProjectQuotaDeps {
  api: ProjectQuotaDeps['api'] & Pick<ApiRepos, 'keyPairs' | 'serverGroups'>;
}

/**
 * Checks that the user may have `delta` more key pairs under the project's `key_pairs` limit
 * (key pairs are counted per user, as in Nova). A delta of 0 is Nova's recheck after the insert:
 * it fails only when a concurrent create went past the limit.
 *
 * @throws OverLimitError `compute.key_pair_limit_exceeded` (403) "Quota exceeded, too many key pairs."
 */
export async function checkKeyPairQuota(deps: CountedQuotaDeps, projectId: string, userId: string, delta: 0 | 1): Promise<void> {
  const { key_pairs: limit } = await projectQuotas(deps, projectId);
  if (isUnlimited(limit)) return;
  if ((await deps.api.keyPairs.countOf(userId)) + delta > limit) {
    throw new OverLimitError('compute.key_pair_limit_exceeded', 'Quota exceeded, too many key pairs.', { details: { allowed: limit } });
  }
}

/**
 * Checks that the project may have `delta` more server groups under its `server_groups` limit;
 * a delta of 0 is the recheck after the insert.
 *
 * @throws OverLimitError `compute.server_group_limit_exceeded` (403) "Quota exceeded, too many server groups."
 */
export async function checkServerGroupQuota(deps: CountedQuotaDeps, projectId: string, delta: 0 | 1): Promise<void> {
  const { server_groups: limit } = await projectQuotas(deps, projectId);
  if (isUnlimited(limit)) return;
  if ((await deps.api.serverGroups.countOf(projectId)) + delta > limit) {
    throw new OverLimitError('compute.server_group_limit_exceeded', 'Quota exceeded, too many server groups.', { details: { allowed: limit } });
  }
}
