import type { RequestContext } from '../common/request-context.js';
import type { EncodedError } from './error-codec.js';

/** What travels on the bus for one message; always plain JSON. */
export interface RequestEnvelope {
  id: string;
  kind: 'call' | 'cast';
  topic: string;
  method: string;
  args: unknown;
  context: RequestContext;
  sentAt: string;
}

export type ReplyEnvelope = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: EncodedError };
