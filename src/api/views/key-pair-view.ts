import type { KeyPair } from '../../db/api/key-pair-repo.js';
import { atLeast, type Microversion } from '../microversion.js';
import { novaTime } from './service-view.js';

/** A key pair in a list: name, public key, fingerprint, and `type` from 2.2. */
export function keyPairSummary(mv: Microversion, k: KeyPair): Record<string, unknown> {
  const body: Record<string, unknown> = { name: k.name, public_key: k.public_key, fingerprint: k.fingerprint };
  if (atLeast(mv, '2.2')) body['type'] = k.type;
  return body;
}

/** The answer to a create: the summary with `user_id`, and the generated private key, once. */
export function keyPairCreated(mv: Microversion, k: KeyPair, privateKey: string | undefined): Record<string, unknown> {
  return { ...keyPairSummary(mv, k), user_id: k.user_id, ...(privateKey === undefined ? {} : { private_key: privateKey }) };
}

/** A key pair shown on its own, with the soft-delete fields Nova still shows (never set). */
export function keyPairDetail(mv: Microversion, k: KeyPair): Record<string, unknown> {
  return {
    ...keyPairSummary(mv, k),
    user_id: k.user_id,
    created_at: novaTime(k.created_at),
    updated_at: novaTime(k.updated_at),
    deleted: false,
    deleted_at: null,
    id: k.id,
  };
}
