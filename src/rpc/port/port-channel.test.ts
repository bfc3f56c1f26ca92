import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { ConflictError } from '../../common/errors.js';
import { PortChannel } from './port-channel.js';

describe('PortChannel', () => {
  const open: MessageChannel[] = [];
  const pair = (): [PortChannel, PortChannel] => {
    const mc = new MessageChannel();
    open.push(mc);
    return [new PortChannel(mc.port1), new PortChannel(mc.port2)];
  };
  afterEach(() => {
    for (const mc of open.splice(0)) {
      mc.port1.close();
      mc.port2.close();
    }
  });

  it('answers a request with what the other side\'s handler returns', async () => {
    const [a, b] = pair();
    b.handle('add', async ({ x, y }: { x: number; y: number }) => x + y);
    a.handle('echo', async (body: unknown) => body);
    assert.equal(await a.request<number>('add', { x: 2, y: 3 }), 5);
    assert.deepEqual(await b.request('echo', { m: new Map([['k', 1]]) }), { m: new Map([['k', 1]]) });
  });

  it('rebuilds a failure as the same error class on the asking side', async () => {
    const [a, b] = pair();
    b.handle('fail', async () => {
      throw new ConflictError('test.conflict', 'taken');
    });
    await assert.rejects(a.request('fail', {}), (err: unknown) => err instanceof ConflictError && err.code === 'test.conflict' && err.message === 'taken');
    await assert.rejects(a.request('nothing-serves-this', {}), /No operation nothing-serves-this/);
  });

  it('delivers notices without a reply, and drops those nobody receives', async () => {
    const [a, b] = pair();
    const got: unknown[] = [];
    const seen = new Promise<void>((resolve) => b.onNotice('line', (body: string) => (got.push(body), got.length === 2 ? resolve() : undefined)));
    a.notify('unheard', 'x');
    a.notify('line', 'one');
    a.notify('line', 'two');
    await seen;
    assert.deepEqual(got, ['one', 'two']);
  });

  it('rejects what is still waiting when it closes, and anything asked after', async () => {
    const [a, b] = pair();
    b.handle('never', () => new Promise(() => undefined));
    const waiting = a.request('never', {});
    a.close(new Error('gone'));
    await assert.rejects(waiting, /gone/);
    await assert.rejects(a.request('never', {}), /gone/);
  });
});
