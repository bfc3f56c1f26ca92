import { Type, type TSchema } from '@sinclair/typebox';
import type { KeyPairType } from '../../db/api/key-pair-repo.js';

// Nova's keypair_name_special_chars (and from 2.92 also '@' and '.'), within its `name` type:
// 1-255 characters, no leading or trailing whitespace.
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[_\\- a-zA-Z0-9]+(?<!\\s)$' });
const Name92 = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[_\\-@. a-zA-Z0-9]+(?<!\\s)$' });

/**
 * The body of POST /os-keypairs at a microversion: `name` and an optional `public_key` (import);
 * `type` (ssh or x509) from 2.2, `user_id` from 2.10; from 2.92 `public_key` is required (Nova no
 * longer generates keys) and names may hold '@' and '.'.
 */
export function createKeyPairBody(minor: number): TSchema {
  const props: Record<string, TSchema> = { name: minor >= 92 ? Name92 : Name, public_key: minor >= 92 ? Type.String() : Type.Optional(Type.String()) };
  if (minor >= 2) props['type'] = Type.Optional(Type.Unsafe<KeyPairType>({ type: 'string', enum: ['ssh', 'x509'] }));
  if (minor >= 10) props['user_id'] = Type.Optional(Type.String());
  return Type.Object({ keypair: Type.Object(props, { additionalProperties: false }) }, { additionalProperties: false });
}

export interface CreateKeyPairRequest {
  keypair: { name: string; public_key?: string; type?: KeyPairType; user_id?: string };
}

const NonNegative = Type.String({ pattern: '^[0-9]+$' });

/**
 * The query of GET /os-keypairs: `user_id` from 2.10, `limit` and `marker` from 2.35; unknown
 * parameters are ignored before 2.75 and refused from 2.75. Show and delete take `user_id` only.
 */
export function keyPairQuery(minor: number, list: boolean): TSchema {
  const props: Record<string, TSchema> = {};
  if (minor >= 10) props['user_id'] = Type.Optional(Type.String());
  if (list && minor >= 35) {
    props['limit'] = Type.Optional(NonNegative);
    props['marker'] = Type.Optional(Type.String());
  }
  return Type.Object(props, { additionalProperties: minor < 75 });
}

export interface KeyPairQuery {
  user_id?: string;
  limit?: string;
  marker?: string;
}
