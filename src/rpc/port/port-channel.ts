import { BadRequestError } from '../../common/errors.js';
import { decodeError, encodeError, type EncodedError } from '../error-codec.js';

/** What a port channel sends: requests by operation name, and their replies by id. */
export type PortMessage =
  | { kind: 'request'; id: number; op: string; body: unknown }
  | { kind: 'notice'; op: string; body: unknown }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: EncodedError };

/** A worker thread, or the parent port seen from inside one: anything that posts and receives messages. */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

type Handler = (body: never) => Promise<unknown>;
type NoticeHandler = (body: never) => void;

/**
 * Request and reply between two threads over one message port. Messages are structured clones
 * (no JSON round trip); errors cross as the bus encodes them, so `instanceof` checks on Tessera's
 * error classes hold on the other side. Either side may serve operations and send requests, and
 * one-way notices (log lines, timings) that get no reply.
 *
 * @example
 * const channel = new PortChannel(worker);
 * channel.handle('ping', async (body: { n: number }) => body.n + 1);
 * await channel.request<number>('ping', { n: 1 }); // answered by the other side's handler
 */
export class PortChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private readonly handlers = new Map<string, Handler>();
  private readonly noticeHandlers = new Map<string, NoticeHandler>();
  private readonly listener = (message: unknown): void => this.receive(message as PortMessage);
  private closedBecause: Error | undefined;

  constructor(private readonly endpoint: MessageEndpoint) {
    endpoint.on('message', this.listener);
  }

  /** Serves `op`: what the handler resolves to (structured-cloneable) is the reply. */
  handle<B>(op: string, handler: (body: B) => Promise<unknown>): void {
    this.handlers.set(op, handler as Handler);
  }

  /** Receives the notices sent under `op`; one without a receiver is dropped. */
  onNotice<B>(op: string, handler: (body: B) => void): void {
    this.noticeHandlers.set(op, handler as NoticeHandler);
  }

  /** Sends a one-way notice: no reply, nothing to wait for; dropped once the channel is closed. */
  notify(op: string, body: unknown): void {
    if (this.closedBecause === undefined) this.endpoint.postMessage({ kind: 'notice', op, body } satisfies PortMessage);
  }

  /** Sends a request and waits for its reply; a failed operation rejects with the decoded error. */
  request<T>(op: string, body: unknown): Promise<T> {
    if (this.closedBecause !== undefined) return Promise.reject(this.closedBecause);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.endpoint.postMessage({ kind: 'request', id, op, body } satisfies PortMessage);
      } catch (err) {
        // Not cloneable (a function, a stream): a bug of the caller, reported as such.
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Stops listening; requests still waiting for a reply reject with `reason`. */
  close(reason: Error): void {
    this.closedBecause = reason;
    this.endpoint.off('message', this.listener);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  private receive(message: PortMessage): void {
    if (message.kind === 'reply') {
      const p = this.pending.get(message.id);
      if (p === undefined) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(decodeError(message.error, 'thread'));
      return;
    }
    if (message.kind === 'notice') {
      this.noticeHandlers.get(message.op)?.(message.body as never);
      return;
    }
    void this.serve(message);
  }

  private async serve(message: Extract<PortMessage, { kind: 'request' }>): Promise<void> {
    let reply: PortMessage;
    try {
      const handler = this.handlers.get(message.op);
      if (handler === undefined) throw new BadRequestError('rpc.unknown_operation', `No operation ${message.op} on this thread`);
      const result = await handler(message.body as never);
      reply = { kind: 'reply', id: message.id, ok: true, result: result === undefined ? null : result };
    } catch (err) {
      reply = { kind: 'reply', id: message.id, ok: false, error: encodeError(err) };
    }
    if (this.closedBecause !== undefined) return;
    try {
      this.endpoint.postMessage(reply);
    } catch (err) {
      this.endpoint.postMessage({ kind: 'reply', id: message.id, ok: false, error: encodeError(err) } satisfies PortMessage);
    }
  }
}
