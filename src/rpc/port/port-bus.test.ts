import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { ManualClock } from '../../common/clock.js';
import { NotFoundError, RpcTimeoutError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { InprocBus } from '../inproc/inproc-bus.js';
import { bridgeBus, PortBus } from './port-bus.js';
import { PortChannel } from './port-channel.js';

const ctx: RequestContext = { requestId: 'req-1', userId: 'u', projectId: 'p', roles: ['member'], isAdmin: false };

describe('PortBus and bridgeBus', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  /** A parent bus and the bus of a "thread" bridged to it, over a message channel in this thread. */
  const setUp = (): { parent: InprocBus; child: PortBus } => {
    const parent = new InprocBus({ logger: silentLogger(), ids: new RandomIdGenerator(), clock: new ManualClock(), defaultTimeoutMs: 2000 });
    const mc = new MessageChannel();
    const bridge = bridgeBus(parent, new PortChannel(mc.port1));
    const child = new PortBus(new PortChannel(mc.port2));
    closers.push(() => parent.close(), () => bridge.close(), () => mc.port1.close(), () => mc.port2.close());
    return { parent, child };
  };

  it('carries the parent\'s calls to a topic the thread serves, context and errors included', async () => {
    const { parent, child } = setUp();
    await child.serve('scheduler', {
      select: async (c: RequestContext, args: { n: number }) => ({ request: c.requestId, double: args.n * 2 }),
      missing: async () => {
        throw new NotFoundError('test.missing', 'no such thing');
      },
    });
    assert.deepEqual(await parent.call(ctx, 'scheduler', 'select', { n: 21 }), { request: 'req-1', double: 42 });
    await assert.rejects(parent.call(ctx, 'scheduler', 'missing', {}), (err: unknown) => err instanceof NotFoundError && err.message === 'no such thing');
    await assert.rejects(parent.call(ctx, 'scheduler', 'unknown', {}), /No method unknown/);
  });

  it('carries the thread\'s calls and casts to topics served on the parent bus', async () => {
    const { parent, child } = setUp();
    const cast: unknown[] = [];
    await parent.serve('conductor', {
      ping: async (_c: RequestContext, args: { v: string }) => `pong ${args.v}`,
      note: async (_c: RequestContext, args: unknown) => void cast.push(args),
    });
    assert.equal(await child.call(ctx, 'conductor', 'ping', { v: 'x' }), 'pong x');
    await child.cast(ctx, 'conductor', 'note', { a: 1 });
    for (let i = 0; i < 50 && cast.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(cast, [{ a: 1 }]);
  });

  it('stops serving a topic on the parent bus once the thread stops serving it', async () => {
    const { parent, child } = setUp();
    const server = await child.serve('scheduler', { select: async () => 'ok' });
    assert.equal(await parent.call(ctx, 'scheduler', 'select', {}), 'ok');
    await server.stop();
    // Nobody serves the topic on the parent bus any more: the call waits for its timeout (had the
    // bridge kept serving it, the thread would have answered at once that it knows no such method).
    await assert.rejects(parent.call(ctx, 'scheduler', 'select', {}, { timeoutMs: 50 }), (err: unknown) => err instanceof RpcTimeoutError);
  });
});
