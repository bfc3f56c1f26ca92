import type { Clock } from '../../common/clock.js';
import { BadRequestError, RpcTimeoutError } from '../../common/errors.js';
import type { FaultInjector } from '../../common/fault-injector.js';
import type { IdGenerator } from '../../common/ids.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { RpcBus, RpcHandlers, RpcServer } from '../bus.js';
import type { ReplyEnvelope, RequestEnvelope } from '../envelope.js';
import { decodeError, encodeError } from '../error-codec.js';

interface Deps {
  logger: Logger;
  ids: IdGenerator;
  clock: Clock;
  faults?: FaultInjector;
  defaultTimeoutMs: number;
}

interface Subscriber {
  handlers: RpcHandlers;
  inflight: Set<Promise<void>>;
  stopped: boolean;
}

/**
 * The bus inside one process. It behaves as the network transport does: every message is
 * serialized to JSON and delivered on a later turn of the event loop, messages to a topic that no
 * server listens on wait in its queue, and servers of one topic share its messages round-robin.
 */
export class InprocBus implements RpcBus {
  private readonly topics = new Map<string, { subscribers: Subscriber[]; queue: string[]; next: number }>();
  private readonly pending = new Map<string, { resolve: (r: ReplyEnvelope) => void; timer: NodeJS.Timeout }>();
  private closed = false;

  constructor(private readonly deps: Deps) {}

  async call<T>(ctx: RequestContext, topic: string, method: string, args: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
    const envelope = this.envelope(ctx, 'call', topic, method, args);
    const timeoutMs = options.timeoutMs ?? this.deps.defaultTimeoutMs;
    const reply = await new Promise<ReplyEnvelope>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.id);
        resolve({ id: envelope.id, ok: false, error: encodeError(new RpcTimeoutError(`Timed out after ${timeoutMs} ms waiting for a reply to ${method} on ${topic}`)) });
      }, timeoutMs);
      this.pending.set(envelope.id, { resolve, timer });
      this.publish(envelope);
    });
    if (!reply.ok) throw decodeError(reply.error, topic);
    return reply.result as T;
  }

  async cast(ctx: RequestContext, topic: string, method: string, args: unknown): Promise<void> {
    this.publish(this.envelope(ctx, 'cast', topic, method, args));
  }

  serve(topic: string, handlers: RpcHandlers): Promise<RpcServer> {
    const t = this.topic(topic);
    const sub: Subscriber = { handlers, inflight: new Set(), stopped: false };
    t.subscribers.push(sub);
    this.drain(topic);
    return Promise.resolve({
      stop: async () => {
        sub.stopped = true;
        t.subscribers = t.subscribers.filter((s) => s !== sub);
        await Promise.allSettled([...sub.inflight]);
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ id, ok: false, error: encodeError(new RpcTimeoutError('The bus was closed before a reply came')) });
    }
    this.pending.clear();
    const inflight = [...this.topics.values()].flatMap((t) => t.subscribers.flatMap((s) => [...s.inflight]));
    await Promise.allSettled(inflight);
  }

  private envelope(ctx: RequestContext, kind: 'call' | 'cast', topic: string, method: string, args: unknown): RequestEnvelope {
    if (this.closed) throw new BadRequestError('rpc.closed', 'The bus is closed');
    this.deps.faults?.check(`rpc.${kind}.${topic.split('.')[0] ?? topic}.${method}`, { host: topic.split('.')[1] });
    return { id: this.deps.ids.uuid(), kind, topic, method, args, context: ctx, sentAt: this.deps.clock.now().toISOString() };
  }

  private topic(name: string): { subscribers: Subscriber[]; queue: string[]; next: number } {
    let t = this.topics.get(name);
    if (t === undefined) {
      t = { subscribers: [], queue: [], next: 0 };
      this.topics.set(name, t);
    }
    return t;
  }

  private publish(envelope: RequestEnvelope): void {
    // Serialize now, as a network transport would: the receiver never shares objects with the sender.
    this.topic(envelope.topic).queue.push(JSON.stringify(envelope));
    setImmediate(() => this.drain(envelope.topic));
  }

  private drain(topicName: string): void {
    const t = this.topic(topicName);
    while (t.subscribers.length > 0 && t.queue.length > 0) {
      const raw = t.queue.shift() as string;
      const sub = t.subscribers[t.next % t.subscribers.length] as Subscriber;
      t.next += 1;
      const work = this.dispatch(sub, JSON.parse(raw) as RequestEnvelope);
      sub.inflight.add(work);
      void work.finally(() => sub.inflight.delete(work));
    }
  }

  private async dispatch(sub: Subscriber, envelope: RequestEnvelope): Promise<void> {
    const handler = sub.handlers[envelope.method];
    let reply: ReplyEnvelope;
    try {
      if (handler === undefined) throw new BadRequestError('rpc.unknown_method', `No method ${envelope.method} on topic ${envelope.topic}`);
      const result = await handler(envelope.context, envelope.args as never);
      reply = { id: envelope.id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (err) {
      reply = { id: envelope.id, ok: false, error: encodeError(err) };
      // The logger's child only when there is something to say: building one costs a serialization per message.
      const log = this.deps.logger.child({ request_id: envelope.context.requestId, topic: envelope.topic, method: envelope.method });
      if (envelope.kind === 'cast') log.error({ err }, 'cast handler failed');
      else log.debug({ err }, 'call handler failed; error returned to the caller');
    }
    if (envelope.kind === 'call') this.reply(JSON.stringify(reply));
  }

  private reply(raw: string): void {
    setImmediate(() => {
      const reply = JSON.parse(raw) as ReplyEnvelope;
      const p = this.pending.get(reply.id);
      if (p === undefined) return; // the caller already timed out
      clearTimeout(p.timer);
      this.pending.delete(reply.id);
      p.resolve(reply);
    });
  }
}
