import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstanceLocks } from './instance-locks.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('InstanceLocks', () => {
  it('runs work on one instance one at a time, in arrival order', async () => {
    const locks = new InstanceLocks();
    const log: string[] = [];
    const step = (name: string) => locks.run('i1', async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    });
    const results = await Promise.all([step('a'), step('b'), step('c')]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    assert.equal(locks.busy('i1'), false, 'nothing is left behind');
  });

  it('lets work on different instances overlap', async () => {
    const locks = new InstanceLocks();
    const log: string[] = [];
    const step = (uuid: string) => locks.run(uuid, async () => {
      log.push(`${uuid} start`);
      await tick();
      log.push(`${uuid} end`);
    });
    await Promise.all([step('i1'), step('i2')]);
    assert.deepEqual(log.slice(0, 2).sort(), ['i1 start', 'i2 start']);
  });

  it('releases the lock when the work fails', async () => {
    const locks = new InstanceLocks();
    await assert.rejects(locks.run('i1', async () => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(await locks.run('i1', async () => 'next'), 'next');
    assert.equal(locks.busy('i1'), false);
  });
});
