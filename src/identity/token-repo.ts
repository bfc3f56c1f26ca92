import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../common/clock.js';
import { prepareQuery, type Placeholders } from '../db/prepared-query.js';
import type { IdentitySchema, TokenTable } from './identity-schema.js';

// Every API request looks its token up.
const byHash = prepareQuery((db: Kysely<IdentitySchema>, p: Placeholders<{ tokenHash: string }>) => db.selectFrom('tokens').selectAll().where('token_hash', '=', p.tokenHash));

/** A token's record, without the token (which is never stored). */
export interface StoredToken {
  userId: string;
  projectId: string;
  roles: string[];
  methods: string[];
  auditId: string;
  auditChainId: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

/** Issued tokens in the identity database, keyed by the token's hash (see `hashToken`). */
export class TokenRepo {
  constructor(private readonly deps: { db: Kysely<IdentitySchema>; clock: Clock }) {}

  async insert(tokenHash: string, token: StoredToken): Promise<void> {
    await this.deps.db
      .insertInto('tokens')
      .values({
        token_hash: tokenHash,
        user_id: token.userId,
        project_id: token.projectId,
        roles: JSON.stringify(token.roles),
        methods: JSON.stringify(token.methods),
        audit_id: token.auditId,
        audit_chain_id: token.auditChainId,
        issued_at: token.issuedAt.toISOString(),
        expires_at: token.expiresAt.toISOString(),
        created_at: this.deps.clock.now().toISOString(),
      })
      .execute();
  }

  async findByHash(tokenHash: string): Promise<StoredToken | undefined> {
    const row = await byHash.takeFirst(this.deps.db, { tokenHash });
    return row === undefined ? undefined : toStoredToken(row);
  }

  /** Deletes a token; false when there was none with that hash. */
  async deleteByHash(tokenHash: string): Promise<boolean> {
    const res = await this.deps.db.deleteFrom('tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Deletes the tokens that expired at or before `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const res = await this.deps.db.deleteFrom('tokens').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

function toStoredToken(row: Selectable<TokenTable>): StoredToken {
  return {
    userId: row.user_id,
    projectId: row.project_id,
    roles: parseStringArray(row.roles),
    methods: parseStringArray(row.methods),
    auditId: row.audit_id,
    auditChainId: row.audit_chain_id,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
  };
}

function parseStringArray(text: string): string[] {
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
