import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { RpcBus, RpcHandlers, RpcServer } from '../bus.js';
import type { PortChannel } from './port-channel.js';

/** A bus message handed between threads. */
export interface BusRequest {
  ctx: RequestContext;
  topic: string;
  method: string;
  args: unknown;
  timeoutMs?: number;
}

/**
 * The bus as a worker thread sees it: calls and casts go to the parent thread's bus, and a topic
 * served here is served there too, by handlers that hand each message back to this thread
 * (`bridgeBus`). Timeouts, queueing and fault points stay the parent bus's.
 */
export class PortBus implements RpcBus {
  private readonly served = new Map<string, RpcHandlers>();

  constructor(private readonly channel: PortChannel) {
    channel.handle('bus.invoke', async (m: BusRequest) => {
      const handler = this.served.get(m.topic)?.[m.method];
      if (handler === undefined) throw new BadRequestError('rpc.unknown_method', `No method ${m.method} on topic ${m.topic}`);
      return handler(m.ctx, m.args as never);
    });
  }

  call<T>(ctx: RequestContext, topic: string, method: string, args: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.channel.request<T>('bus.call', { ctx, topic, method, args, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) } satisfies BusRequest);
  }

  async cast(ctx: RequestContext, topic: string, method: string, args: unknown): Promise<void> {
    await this.channel.request('bus.cast', { ctx, topic, method, args } satisfies BusRequest);
  }

  async serve(topic: string, handlers: RpcHandlers): Promise<RpcServer> {
    this.served.set(topic, handlers);
    await this.channel.request('bus.serve', { topic });
    return {
      stop: async () => {
        await this.channel.request('bus.unserve', { topic });
        this.served.delete(topic);
      },
    };
  }

  async close(): Promise<void> {
    this.served.clear();
  }
}

/**
 * The parent thread's half of `PortBus`: carries the worker's calls and casts onto `bus`, and
 * serves on `bus` each topic the worker serves, handing every message to the worker.
 */
export function bridgeBus(bus: RpcBus, channel: PortChannel): { close(): Promise<void> } {
  const servers = new Map<string, RpcServer>();
  channel.handle('bus.call', (m: BusRequest) => bus.call(m.ctx, m.topic, m.method, m.args, m.timeoutMs === undefined ? {} : { timeoutMs: m.timeoutMs }));
  channel.handle('bus.cast', (m: BusRequest) => bus.cast(m.ctx, m.topic, m.method, m.args));
  channel.handle('bus.serve', async ({ topic }: { topic: string }) => {
    // Any method: the worker answers an unknown one with the bus's own error.
    const handlers = new Proxy({} as RpcHandlers, {
      get: (_target, method) => (typeof method === 'string' ? (ctx: RequestContext, args: unknown) => channel.request('bus.invoke', { ctx, topic, method, args } satisfies BusRequest) : undefined),
    });
    servers.set(topic, await bus.serve(topic, handlers));
  });
  channel.handle('bus.unserve', async ({ topic }: { topic: string }) => {
    const server = servers.get(topic);
    servers.delete(topic);
    await server?.stop();
  });
  return {
    close: async () => {
      const all = [...servers.values()];
      servers.clear();
      await Promise.all(all.map((s) => s.stop()));
    },
  };
}
