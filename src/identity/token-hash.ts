import { createHash } from 'node:crypto';

/** The SHA-256 of a token in hex: what the tokens table stores and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
