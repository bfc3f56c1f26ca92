import type { Generated } from 'kysely';

/**
 * Tables of the identity database. Users, projects and roles come from the configuration
 * (see `IdentityDirectory`); only issued tokens are stored. Times are ISO-8601 text.
 */
export interface IdentitySchema {
  tokens: TokenTable;
}

/** One issued token. The token itself is never stored: only its SHA-256 in hex. */
export interface TokenTable {
  id: Generated<number>;
  token_hash: string;
  user_id: string;
  project_id: string;
  /** JSON array of role names. */
  roles: string;
  /** JSON array of the authentication methods that produced the token (`["password"]`). */
  methods: string;
  audit_id: string;
  /** Audit id of the token this one was re-scoped from, if any (Keystone's audit chain). */
  audit_chain_id: string | null;
  issued_at: string;
  expires_at: string;
  created_at: string;
}
