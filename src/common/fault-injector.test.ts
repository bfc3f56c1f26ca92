import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InjectedFaultError } from './errors.js';
import { FaultInjector } from './fault-injector.js';

function fails(faults: FaultInjector, op: string, where: { host?: string } = {}): boolean {
  try {
    faults.check(op, where);
    return false;
  } catch (err) {
    assert.ok(err instanceof InjectedFaultError, `unexpected error ${String(err)}`);
    return true;
  }
}

describe('FaultInjector', () => {
  it('does nothing for an operation that is not armed', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn');
    assert.equal(fails(faults, 'virt.destroy'), false);
    assert.equal(fails(faults, 'virt'), false, 'names match exactly, not by prefix');
  });

  it('fails once by default, with an InjectedFaultError naming the operation', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn');
    assert.throws(() => faults.check('virt.spawn'), (err: unknown) => {
      assert.ok(err instanceof InjectedFaultError);
      assert.equal(err.code, 'fault.injected');
      assert.equal(err.status, 500);
      assert.match(err.message, /virt\.spawn/);
      return true;
    });
    assert.equal(fails(faults, 'virt.spawn'), false);
    assert.deepEqual(faults.list(), [], 'a used-up fault is no longer listed');
  });

  it('fails exactly `times` times', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { times: 3 });
    assert.deepEqual([1, 2, 3, 4].map(() => fails(faults, 'virt.spawn')), [true, true, true, false]);
  });

  it('with times Infinity fails until disarmed', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { times: Infinity });
    for (let n = 0; n < 50; n++) assert.equal(fails(faults, 'virt.spawn'), true);
    faults.disarm('virt.spawn');
    assert.equal(fails(faults, 'virt.spawn'), false);
  });

  it('scopes a fault to a host, and puts the host in the details', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { host: 'cell1-compute1' });
    assert.equal(fails(faults, 'virt.spawn', { host: 'cell1-compute2' }), false);
    assert.equal(fails(faults, 'virt.spawn'), false, 'a host-scoped fault does not fire without a host');
    assert.throws(() => faults.check('virt.spawn', { host: 'cell1-compute1' }), (err: unknown) => {
      assert.ok(err instanceof InjectedFaultError);
      assert.deepEqual(err.details, { host: 'cell1-compute1' });
      return true;
    });
    assert.equal(fails(faults, 'virt.spawn', { host: 'cell1-compute1' }), false);
  });

  it('a fault without a host fires for any host', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { times: 2 });
    assert.equal(fails(faults, 'virt.spawn', { host: 'a' }), true);
    assert.equal(fails(faults, 'virt.spawn', { host: 'b' }), true);
    assert.equal(fails(faults, 'virt.spawn', { host: 'c' }), false);
  });

  it('keeps separate arms of one operation apart', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { host: 'h1' });
    faults.arm('virt.spawn', { host: 'h2', times: 2 });
    assert.equal(fails(faults, 'virt.spawn', { host: 'h1' }), true);
    assert.deepEqual(faults.list(), [
      { operation: 'virt.spawn', remaining: 0, host: 'h1' },
      { operation: 'virt.spawn', remaining: 2, host: 'h2' },
    ]);
    assert.equal(fails(faults, 'virt.spawn', { host: 'h2' }), true);
    assert.equal(fails(faults, 'virt.spawn', { host: 'h2' }), true);
    assert.deepEqual(faults.list(), []);
  });

  it('disarm(op) removes one operation and disarm() removes all', () => {
    const faults = new FaultInjector();
    faults.arm('a.one', { times: 5 });
    faults.arm('b.two', { times: 5 });
    faults.arm('c.three', { times: 5 });
    faults.disarm('a.one');
    assert.equal(fails(faults, 'a.one'), false);
    assert.equal(fails(faults, 'b.two'), true);
    faults.disarm();
    assert.equal(fails(faults, 'b.two'), false);
    assert.equal(fails(faults, 'c.three'), false);
    assert.deepEqual(faults.list(), []);
  });

  it('lists what is armed with remaining uses and host', () => {
    const faults = new FaultInjector();
    faults.arm('virt.spawn', { times: 2, host: 'h1' });
    faults.arm('rpc.call.scheduler.select_destinations');
    assert.deepEqual(faults.list(), [
      { operation: 'virt.spawn', remaining: 2, host: 'h1' },
      { operation: 'rpc.call.scheduler.select_destinations', remaining: 1 },
    ]);
    assert.equal(fails(faults, 'virt.spawn', { host: 'h1' }), true);
    assert.deepEqual(faults.list(), [
      { operation: 'virt.spawn', remaining: 1, host: 'h1' },
      { operation: 'rpc.call.scheduler.select_destinations', remaining: 1 },
    ]);
    assert.ok(!('host' in (faults.list()[1] ?? {})), 'no host key when the fault is not scoped');
  });

  it('with after, lets that many matching calls through, then fails', () => {
    const faults = new FaultInjector();
    faults.arm('network.get_port', { after: 2 });
    assert.deepEqual(faults.list(), [{ operation: 'network.get_port', remaining: 1, after: 2 }]);
    assert.deepEqual([1, 2, 3, 4].map(() => fails(faults, 'network.get_port')), [false, false, true, false]);
    faults.arm('virt.spawn', { after: 1, host: 'h1' });
    assert.equal(fails(faults, 'virt.spawn', { host: 'h2' }), false, 'another host does not count');
    assert.equal(fails(faults, 'virt.spawn', { host: 'h1' }), false);
    assert.equal(fails(faults, 'virt.spawn', { host: 'h1' }), true);
  });

  it('records the operations checked while recording, armed or not, in order', () => {
    const faults = new FaultInjector();
    faults.check('before.recording');
    const rec = faults.record();
    faults.arm('b.two');
    faults.check('a.one');
    assert.equal(fails(faults, 'b.two'), true);
    faults.check('a.one', { host: 'h1' });
    assert.deepEqual(rec.stop(), ['a.one', 'b.two', 'a.one']);
    faults.check('after.recording');
    assert.deepEqual(rec.stop(), ['a.one', 'b.two', 'a.one'], 'a stopped recording does not grow');
  });
});
