import { randomFillSync, randomUUID } from 'node:crypto';

/** Generates identifiers; injected so that tests can make them predictable. */
export interface IdGenerator {
  uuid(): string;
  /** An OpenStack-style request id: `req-<uuid>`. */
  requestId(): string;
  /** A url-safe random secret (tokens, generated passwords). */
  secret(bytes?: number): string;
}

export class RandomIdGenerator implements IdGenerator {
  /**
   * Random bytes drawn 4 KiB at a time, each byte handed out once (randomUUID pools its bytes the
   * same way): a boot asks for two short secrets, and one call into the system's random source
   * for each cost more than all the rest of making them.
   */
  private readonly pool = Buffer.alloc(4096);
  private used = this.pool.length;

  uuid(): string {
    return randomUUID();
  }

  requestId(): string {
    return `req-${randomUUID()}`;
  }

  secret(bytes = 32): string {
    if (bytes > this.pool.length) return randomFillSync(Buffer.alloc(bytes)).toString('base64url');
    if (this.used + bytes > this.pool.length) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    const text = this.pool.toString('base64url', this.used, this.used + bytes);
    this.used += bytes;
    return text;
  }
}
