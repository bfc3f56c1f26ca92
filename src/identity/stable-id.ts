import { createHash } from 'node:crypto';

/** What a stable id names; part of the hashed input so equal names of different kinds differ. */
export type StableIdKind = 'user' | 'project' | 'role' | 'service' | 'endpoint';

/**
 * A Keystone-style id (32 lower-case hex digits, a UUID without dashes) derived from a name, so the
 * bootstrap users, projects and roles keep their ids across restarts and across processes.
 * The digits are a SHA-256 of kind and name, shaped as a name-based UUIDv8 (RFC 9562).
 *
 * @example
 * stableId('project', 'default/admin'); // always the same 32 hex digits
 */
export function stableId(kind: StableIdKind, name: string): string {
  const hex = createHash('sha256').update(`tessera:${kind}:${name}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return hex.join('');
}
