import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { KeyPair, KeyPairType } from '../../db/api/key-pair-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkKeyPairQuota } from '../quotas/counted-quota.js';
import { generateSshKeyPair } from './generate-key-pair.js';
import { parseSshPublicKey, sshFingerprint } from './ssh-public-key.js';
import { x509Fingerprint } from './x509-fingerprint.js';

/** What POST /os-keypairs asks for, validated. */
export interface NewKeyPairRequest {
  name: string;
  /** Import this public key; without it a key pair is generated. */
  publicKey?: string;
  type: KeyPairType;
  /** Another user's key pair (administrators, 2.10+). */
  userId?: string;
}

/**
 * POST /os-keypairs: imports the public key given, or generates an RSA key pair and hands its
 * private key back this once. The user's `key_pairs` quota is checked before (403) and, unless
 * `[quota] recheck_quota` is off, again after the insert, undoing it when a concurrent create got
 * there first. A public key must parse (400 "Keypair data is invalid: ..."); a name the user
 * already has is a 409.
 *
 * Generating an x509 key pair (a Windows WinRM certificate in Nova) is not supported (400);
 * importing an x509 certificate is.
 */
export async function createKeyPair(deps: ComputeApiDeps, ctx: RequestContext, req: NewKeyPairRequest): Promise<{ keyPair: KeyPair; privateKey?: string }> {
  const userId = req.userId ?? ctx.userId;
  deps.policy.authorize('os_compute_api:os-keypairs:create', ctx, { user_id: userId });
  await checkKeyPairQuota(deps, ctx.projectId, userId, 1);
  let publicKey: string;
  let fingerprint: string;
  let privateKey: string | undefined;
  if (req.publicKey !== undefined) {
    publicKey = req.publicKey;
    fingerprint = fingerprintOf(req.publicKey, req.type);
  } else if (req.type === 'x509') {
    throw new BadRequestError('compute.x509_generation_unsupported', 'Keypair data is invalid: generating x509 key pairs is not supported; import a certificate with public_key instead.');
  } else {
    ({ publicKey, fingerprint, privateKey } = await generateSshKeyPair());
  }
  const keyPair = await deps.api.keyPairs.create({ name: req.name, userId, fingerprint, publicKey, type: req.type });
  if (deps.config.quota.recheck_quota) {
    try {
      await checkKeyPairQuota(deps, ctx.projectId, userId, 0);
    } catch (err) {
      await deps.api.keyPairs.delete(userId, req.name);
      throw err;
    }
  }
  deps.logger.info({ request_id: ctx.requestId, user_id: userId, key_name: req.name, imported: privateKey === undefined }, 'key pair created');
  return { keyPair, ...(privateKey === undefined ? {} : { privateKey }) };
}

function fingerprintOf(publicKey: string, type: KeyPairType): string {
  if (type === 'x509') {
    const fingerprint = x509Fingerprint(publicKey);
    if (fingerprint === undefined) throw new BadRequestError('compute.invalid_key_pair', 'Keypair data is invalid: failed to generate X509 fingerprint. Error message: not a PEM certificate');
    return fingerprint;
  }
  const parsed = parseSshPublicKey(publicKey);
  if (parsed === undefined) throw new BadRequestError('compute.invalid_key_pair', 'Keypair data is invalid: failed to generate fingerprint');
  return sshFingerprint(parsed);
}
