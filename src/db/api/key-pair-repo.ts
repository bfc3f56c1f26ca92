import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../common/errors.js';
import { isUniqueViolation } from '../unique-violation.js';
import type { ApiSchema, KeyPairTable } from './api-schema.js';

export type KeyPairType = 'ssh' | 'x509';

/** A user's key pair as stored: the public half only. */
export interface KeyPair {
  id: number;
  name: string;
  user_id: string;
  fingerprint: string;
  public_key: string;
  type: KeyPairType;
  created_at: string;
  updated_at: string | null;
}

export interface NewKeyPair {
  name: string;
  userId: string;
  fingerprint: string;
  publicKey: string;
  type: KeyPairType;
}

/**
 * Key pairs in the API database, addressed by user and name as Nova does.
 *
 * @example
 * await repos.keyPairs.create({ name: 'k1', userId, fingerprint, publicKey, type: 'ssh' });
 * const page = await repos.keyPairs.list(userId, { limit: 10, marker: 'k1' });
 */
export class KeyPairRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  /** @throws ConflictError `compute.key_pair_exists` when the user has a key pair of that name. */
  async create(values: NewKeyPair): Promise<KeyPair> {
    try {
      await this.deps.db
        .insertInto('key_pairs')
        .values({
          name: values.name,
          user_id: values.userId,
          fingerprint: values.fingerprint,
          public_key: values.publicKey,
          type: values.type,
          created_at: this.deps.clock.now().toISOString(),
          updated_at: null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('compute.key_pair_exists', `Key pair '${values.name}' already exists.`, { cause: err });
      throw err;
    }
    return this.get(values.userId, values.name);
  }

  async find(userId: string, name: string): Promise<KeyPair | undefined> {
    const row = await this.deps.db.selectFrom('key_pairs').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return row && toKeyPair(row);
  }

  /** @throws NotFoundError `compute.key_pair_not_found` with Nova's message. */
  async get(userId: string, name: string): Promise<KeyPair> {
    const keyPair = await this.find(userId, name);
    if (keyPair === undefined) throw notFound(userId, name);
    return keyPair;
  }

  /**
   * The user's key pairs by name, after the one named `marker` when given, at most `limit`.
   *
   * @throws BadRequestError `compute.marker_not_found` when the user has no key pair named `marker`.
   */
  async list(userId: string, page: { limit?: number; marker?: string } = {}): Promise<KeyPair[]> {
    let q = this.deps.db.selectFrom('key_pairs').selectAll().where('user_id', '=', userId);
    if (page.marker !== undefined) {
      if ((await this.find(userId, page.marker)) === undefined) throw new BadRequestError('compute.marker_not_found', `Marker ${page.marker} could not be found.`);
      q = q.where('name', '>', page.marker);
    }
    q = q.orderBy('name').orderBy('id');
    if (page.limit !== undefined) q = q.limit(page.limit);
    return (await q.execute()).map(toKeyPair);
  }

  /** How many key pairs the user has (what the `key_pairs` quota counts). */
  async countOf(userId: string): Promise<number> {
    const row = await this.deps.db.selectFrom('key_pairs').select((eb) => eb.fn.countAll<number | string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** @throws NotFoundError `compute.key_pair_not_found` when there was none to delete. */
  async delete(userId: string, name: string): Promise<void> {
    const res = await this.deps.db.deleteFrom('key_pairs').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound(userId, name);
  }
}

function notFound(userId: string, name: string): NotFoundError {
  return new NotFoundError('compute.key_pair_not_found', `Keypair ${name} not found for user ${userId}`);
}

function toKeyPair(row: Selectable<KeyPairTable>): KeyPair {
  return {
    id: row.id,
    name: row.name,
    user_id: row.user_id,
    fingerprint: row.fingerprint,
    public_key: row.public_key,
    type: row.type === 'x509' ? 'x509' : 'ssh',
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
