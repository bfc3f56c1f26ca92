import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import type { KeyPair } from '../../db/api/key-pair-repo.js';

/**
 * The key pair a boot names in `key_name`: the caller's own, as Nova looks it up (an
 * administrator booting for nobody else has only their own key pairs either).
 *
 * @throws BadRequestError `compute.key_pair_not_found` "Invalid key_name provided." when the
 *   caller has no key pair of that name.
 *
 * @example
 * const keyPair = await bootKeyPair(deps, ctx, s.key_name); // undefined when no key_name was given
 */
export async function bootKeyPair(deps: { api: Pick<ApiRepos, 'keyPairs'> }, ctx: RequestContext, keyName: string | undefined): Promise<KeyPair | undefined> {
  if (keyName === undefined) return undefined;
  const keyPair = await deps.api.keyPairs.find(ctx.userId, keyName);
  if (keyPair === undefined) throw new BadRequestError('compute.keypair_not_found', 'Invalid key_name provided.');
  return keyPair;
}
