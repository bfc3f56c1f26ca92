import { randomBytes, randomUUID } from 'node:crypto';

/** Generates identifiers; injected so that tests can make them predictable. */
export interface IdGenerator {
  uuid(): string;
  /** An OpenStack-style request id: `req-<uuid>`. */
  requestId(): string;
  /** A url-safe random secret (tokens, generated passwords). */
  secret(bytes?: number): string;
}

export class RandomIdGenerator implements IdGenerator {
  uuid(): string {
    return randomUUID();
  }

  requestId(): string {
    return `req-${randomUUID()}`;
  }

  secret(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }
}
