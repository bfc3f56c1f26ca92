import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import {
  BadRequestError, ConflictError, InjectedFaultError, NotFoundError, RpcTimeoutError, TesseraError,
} from '../../common/errors.js';
import { FaultInjector } from '../../common/fault-injector.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { RpcHandlers } from '../bus.js';
import { decodeError, encodeError } from '../error-codec.js';
import { InprocBus } from './inproc-bus.js';

const ctx: RequestContext = {
  requestId: 'req-00000000-0000-0000-0000-000000000001',
  userId: 'u1',
  userName: 'alice',
  projectId: 'p1',
  projectName: 'demo',
  roles: ['member', 'reader'],
  isAdmin: false,
  microversion: '2.60',
};

function makeBus(faults?: FaultInjector, defaultTimeoutMs = 2000): InprocBus {
  return new InprocBus({
    logger: silentLogger(),
    ids: new RandomIdGenerator(),
    clock: new ManualClock(),
    defaultTimeoutMs,
    ...(faults === undefined ? {} : { faults }),
  });
}

/** A promise with its resolver, to wait for a handler to run without sleeping. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('InprocBus', () => {
  let bus: InprocBus;

  beforeEach(() => {
    bus = makeBus();
  });

  afterEach(async () => {
    await bus.close();
  });

  it('call returns the result of the handler', async () => {
    await bus.serve('scheduler', {
      add: (_c, args: { a: number; b: number }) => Promise.resolve({ sum: args.a + args.b }),
    } as RpcHandlers);
    const result = await bus.call<{ sum: number }>(ctx, 'scheduler', 'add', { a: 2, b: 3 });
    assert.deepEqual(result, { sum: 5 });
  });

  it('a handler that returns undefined gives the caller null', async () => {
    await bus.serve('t', { nothing: () => Promise.resolve(undefined) });
    assert.equal(await bus.call(ctx, 't', 'nothing', {}), null);
  });

  it('deep-copies the arguments with JSON semantics', async () => {
    const received = deferred<unknown>();
    await bus.serve('t', {
      take: (_c, args: { nested: { list: number[] }; when: unknown }) => {
        args.nested.list.push(99);
        received.resolve(args);
        return Promise.resolve('ok');
      },
    } as RpcHandlers);
    const sent = { nested: { list: [1, 2] }, when: new Date('2026-03-04T05:06:07.000Z'), gone: undefined };
    await bus.call(ctx, 't', 'take', sent);
    const got = (await received.promise) as { nested: { list: number[] }; when: unknown };
    assert.deepEqual(sent.nested.list, [1, 2], 'the sender object must not be touched by the receiver');
    assert.deepEqual(got.nested.list, [1, 2, 99]);
    assert.notEqual(got.nested, sent.nested);
    assert.equal(typeof got.when, 'string');
    assert.equal(got.when, '2026-03-04T05:06:07.000Z');
    assert.equal('gone' in got, false, 'undefined properties disappear as in JSON');
  });

  it('deep-copies the result too', async () => {
    const kept = { list: [1] };
    await bus.serve('t', { get: () => Promise.resolve(kept) });
    const got = await bus.call<{ list: number[] }>(ctx, 't', 'get', {});
    got.list.push(2);
    assert.deepEqual(kept.list, [1]);
  });

  it('delivers asynchronously: cast returns before the handler runs', async () => {
    let ran = false;
    const done = deferred();
    await bus.serve('t', {
      note: () => {
        ran = true;
        done.resolve();
        return Promise.resolve();
      },
    });
    const p = bus.cast(ctx, 't', 'note', {});
    assert.equal(ran, false, 'the handler must not run inside cast');
    await p;
    assert.equal(ran, false, 'the handler must not run before cast resolves');
    await done.promise;
    assert.equal(ran, true);
  });

  it('queues messages for a topic without a server and delivers them when one serves', async () => {
    const seen: string[] = [];
    const pending = bus.call<string>(ctx, 'late', 'echo', { v: 'first' });
    await bus.cast(ctx, 'late', 'echo', { v: 'second' });
    await tick();
    await tick();
    assert.equal(seen.length, 0, 'nothing is delivered without a server');
    await bus.serve('late', {
      echo: (_c, args: { v: string }) => {
        seen.push(args.v);
        return Promise.resolve(args.v);
      },
    } as RpcHandlers);
    assert.equal(await pending, 'first');
    await tick();
    assert.deepEqual(seen, ['first', 'second'], 'queued messages keep their order');
  });

  it('shares the messages of one topic round-robin between its servers', async () => {
    await bus.serve('compute', { who: () => Promise.resolve('a') });
    await bus.serve('compute', { who: () => Promise.resolve('b') });
    const answers: string[] = [];
    for (let n = 0; n < 4; n++) answers.push(await bus.call<string>(ctx, 'compute', 'who', {}));
    assert.deepEqual(answers, ['a', 'b', 'a', 'b']);
  });

  it('a stopped server takes no more messages', async () => {
    const a = await bus.serve('t', { who: () => Promise.resolve('a') });
    await bus.serve('t', { who: () => Promise.resolve('b') });
    await a.stop();
    const answers = [await bus.call<string>(ctx, 't', 'who', {}), await bus.call<string>(ctx, 't', 'who', {})];
    assert.deepEqual(answers, ['b', 'b']);
  });

  it('times out a call with RpcTimeoutError (rpc.timeout)', async () => {
    const started = Date.now();
    await assert.rejects(bus.call(ctx, 'nobody-listens', 'ping', {}, { timeoutMs: 20 }), (err: unknown) => {
      assert.ok(err instanceof RpcTimeoutError, `expected RpcTimeoutError, got ${String(err)}`);
      assert.equal(err.code, 'rpc.timeout');
      assert.equal(err.status, 504);
      assert.match(err.message, /20 ms/);
      assert.match(err.message, /ping/);
      return true;
    });
    assert.ok(Date.now() - started < 1000);
  });

  it('uses the default timeout when none is given', async () => {
    const short = makeBus(undefined, 15);
    try {
      await assert.rejects(short.call(ctx, 'nobody', 'ping', {}), { code: 'rpc.timeout' });
    } finally {
      await short.close();
    }
  });

  it('rebuilds a NotFoundError thrown by the handler on the caller side', async () => {
    await bus.serve('compute.host1', {
      show: () => Promise.reject(new NotFoundError('compute.instance_not_found', 'Instance abc could not be found.', { details: { uuid: 'abc' } })),
    });
    await assert.rejects(bus.call(ctx, 'compute.host1', 'show', {}), (err: unknown) => {
      assert.ok(err instanceof NotFoundError, 'instanceof NotFoundError survives the bus');
      assert.ok(err instanceof TesseraError);
      assert.equal(err.code, 'compute.instance_not_found');
      assert.equal(err.status, 404);
      assert.equal(err.message, 'Instance abc could not be found.');
      assert.equal(err.name, 'NotFoundError');
      assert.equal(err.details?.['uuid'], 'abc');
      assert.equal(err.details?.['remote'], 'compute.host1');
      return true;
    });
  });

  it('reports a plain Error from a handler as internal.unexpected with status 500', async () => {
    await bus.serve('t', { boom: () => Promise.reject(new Error('kaboom')) });
    await assert.rejects(bus.call(ctx, 't', 'boom', {}), (err: unknown) => {
      assert.ok(err instanceof TesseraError);
      assert.equal(err.code, 'internal.unexpected');
      assert.equal(err.status, 500);
      assert.equal(err.message, 'kaboom');
      return true;
    });
  });

  it('answers an unknown method with rpc.unknown_method', async () => {
    await bus.serve('t', { known: () => Promise.resolve(1) });
    await assert.rejects(bus.call(ctx, 't', 'unknown', {}), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.code, 'rpc.unknown_method');
      assert.match(err.message, /unknown/);
      return true;
    });
  });

  it('a failing cast does not break the server for later messages', async () => {
    await bus.serve('t', {
      fail: () => Promise.reject(new Error('cast failure')),
      ok: () => Promise.resolve('still here'),
    });
    await bus.cast(ctx, 't', 'fail', {});
    assert.equal(await bus.call(ctx, 't', 'ok', {}), 'still here');
  });

  it('passes the request context intact', async () => {
    const got = deferred<RequestContext>();
    await bus.serve('t', {
      who: (c) => {
        got.resolve(c);
        return Promise.resolve(null);
      },
    });
    await bus.call(ctx, 't', 'who', {});
    const received = await got.promise;
    assert.deepEqual(received, ctx);
    assert.notEqual(received, ctx);
  });

  it('close() rejects calls still waiting for a reply', async () => {
    const pending = bus.call(ctx, 'nobody', 'ping', {}, { timeoutMs: 10_000 });
    await tick();
    const started = Date.now();
    await bus.close();
    await assert.rejects(pending, (err: unknown) => {
      assert.ok(err instanceof RpcTimeoutError);
      assert.match(err.message, /closed/);
      return true;
    });
    assert.ok(Date.now() - started < 1000, 'the pending call must not wait for its timeout');
  });

  it('refuses new calls once closed', async () => {
    await bus.close();
    await assert.rejects(bus.call(ctx, 't', 'x', {}), { code: 'rpc.closed' });
  });
});

describe('InprocBus with a FaultInjector', () => {
  it('fails an armed call before it is delivered, once', async () => {
    const faults = new FaultInjector();
    const bus = makeBus(faults);
    let delivered = 0;
    try {
      await bus.serve('scheduler', {
        select_destinations: () => {
          delivered += 1;
          return Promise.resolve([]);
        },
      });
      faults.arm('rpc.call.scheduler.select_destinations');
      await assert.rejects(bus.call(ctx, 'scheduler', 'select_destinations', {}), (err: unknown) => {
        assert.ok(err instanceof InjectedFaultError);
        assert.equal(err.code, 'fault.injected');
        return true;
      });
      await tick();
      assert.equal(delivered, 0, 'the handler must not run for an injected failure');
      assert.deepEqual(await bus.call(ctx, 'scheduler', 'select_destinations', {}), []);
      assert.equal(delivered, 1);
    } finally {
      await bus.close();
    }
  });

  it('scopes faults on compute topics to the host in the topic name', async () => {
    const faults = new FaultInjector();
    const bus = makeBus(faults);
    try {
      const handlers = { stop_instance: () => Promise.resolve('stopped') };
      await bus.serve('compute.host1', handlers);
      await bus.serve('compute.host2', handlers);
      faults.arm('rpc.call.compute.stop_instance', { host: 'host2' });
      assert.equal(await bus.call(ctx, 'compute.host1', 'stop_instance', {}), 'stopped');
      await assert.rejects(bus.call(ctx, 'compute.host2', 'stop_instance', {}), (err: unknown) => {
        assert.ok(err instanceof InjectedFaultError);
        assert.equal(err.details?.['host'], 'host2');
        return true;
      });
    } finally {
      await bus.close();
    }
  });

  it('uses the rpc.cast prefix for casts', async () => {
    const faults = new FaultInjector();
    const bus = makeBus(faults);
    try {
      faults.arm('rpc.cast.conductor.schedule_and_build_instances');
      await assert.rejects(async () => bus.cast(ctx, 'conductor', 'schedule_and_build_instances', {}), InjectedFaultError);
      // A call of the same method is a different operation.
      await bus.serve('conductor', { schedule_and_build_instances: () => Promise.resolve('ok') });
      assert.equal(await bus.call(ctx, 'conductor', 'schedule_and_build_instances', {}), 'ok');
    } finally {
      await bus.close();
    }
  });
});

describe('error codec', () => {
  it('round-trips a registered class and keeps unregistered ones as TesseraError with their name', () => {
    const encoded = encodeError(new ConflictError('compute.instance_locked', 'locked', { details: { a: 1 } }));
    assert.deepEqual(encoded, { code: 'compute.instance_locked', status: 409, message: 'locked', name: 'ConflictError', details: { a: 1 } });
    const decoded = decodeError(JSON.parse(JSON.stringify(encoded)) as typeof encoded, 'conductor');
    assert.ok(decoded instanceof ConflictError);
    assert.deepEqual(decoded.details, { a: 1, remote: 'conductor' });

    class LocalOnlyError extends TesseraError {}
    const unknown = decodeError(encodeError(new LocalOnlyError('x.y', 418, 'teapot')), 'r');
    assert.ok(unknown instanceof TesseraError);
    assert.ok(!(unknown instanceof LocalOnlyError));
    assert.equal(unknown.name, 'LocalOnlyError');
    assert.equal(unknown.status, 418);
    assert.equal(unknown.code, 'x.y');
  });

  it('encodes non-errors as internal.unexpected', () => {
    assert.deepEqual(encodeError('plain string'), { code: 'internal.unexpected', status: 500, message: 'plain string', name: 'InternalError' });
  });
});
