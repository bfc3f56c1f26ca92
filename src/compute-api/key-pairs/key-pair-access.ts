import type { RequestContext } from '../../common/request-context.js';
import type { KeyPair } from '../../db/api/key-pair-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * GET /os-keypairs: the user's key pairs (another user's for an administrator who names one,
 * 2.10+), by name, after `marker` and at most `limit` (2.35+; at most `[api] max_limit`).
 */
export async function listKeyPairs(deps: ComputeApiDeps, ctx: RequestContext, query: { userId?: string; limit?: number; marker?: string; paged: boolean }): Promise<{ keyPairs: KeyPair[]; limit: number | undefined }> {
  const userId = query.userId ?? ctx.userId;
  deps.policy.authorize('os_compute_api:os-keypairs:index', ctx, { user_id: userId });
  const maxLimit = deps.config.api.max_limit;
  // Nova pages only from 2.35, and then always: a missing or zero limit is the maximum.
  const limit = query.paged ? Math.min(maxLimit, query.limit === undefined || query.limit === 0 ? maxLimit : query.limit) : undefined;
  const keyPairs = await deps.api.keyPairs.list(userId, { ...(limit === undefined ? {} : { limit }), ...(query.marker === undefined ? {} : { marker: query.marker }) });
  return { keyPairs, limit };
}

/** GET /os-keypairs/{name}: one of the user's key pairs (404 when the user has none of that name). */
export async function showKeyPair(deps: ComputeApiDeps, ctx: RequestContext, name: string, userId?: string): Promise<KeyPair> {
  const owner = userId ?? ctx.userId;
  deps.policy.authorize('os_compute_api:os-keypairs:show', ctx, { user_id: owner });
  return deps.api.keyPairs.get(owner, name);
}

/** DELETE /os-keypairs/{name}: servers booted with it keep their key_name, as in Nova. */
export async function deleteKeyPair(deps: ComputeApiDeps, ctx: RequestContext, name: string, userId?: string): Promise<void> {
  const owner = userId ?? ctx.userId;
  deps.policy.authorize('os_compute_api:os-keypairs:delete', ctx, { user_id: owner });
  await deps.api.keyPairs.delete(owner, name);
  deps.logger.info({ request_id: ctx.requestId, user_id: owner, key_name: name }, 'key pair deleted');
}
