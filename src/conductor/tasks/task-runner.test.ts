import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultInjector } from '../../common/fault-injector.js';
import { silentLogger } from '../../common/logger.js';
import type { Task } from './task.js';
import { runTasks } from './task-runner.js';

/** A task that records what happens to it in a shared journal. */
function task(name: string, journal: string[], opts: { failExecute?: Error; failRollback?: Error } = {}): Task {
  return {
    name,
    execute: async () => {
      await Promise.resolve();
      journal.push(`execute ${name}`);
      if (opts.failExecute !== undefined) throw opts.failExecute;
    },
    rollback: async () => {
      await Promise.resolve();
      journal.push(`rollback ${name}`);
      if (opts.failRollback !== undefined) throw opts.failRollback;
    },
  };
}

describe('runTasks', () => {
  it('runs every task in order and rolls nothing back when all succeed', async () => {
    const journal: string[] = [];
    await runTasks([task('a', journal), task('b', journal), task('c', journal)], silentLogger());
    assert.deepEqual(journal, ['execute a', 'execute b', 'execute c']);
  });

  it('waits for each task before starting the next', async () => {
    const journal: string[] = [];
    const slow: Task = {
      name: 'slow',
      execute: async () => {
        for (let n = 0; n < 5; n++) await new Promise((r) => setImmediate(r));
        journal.push('execute slow');
      },
      rollback: () => Promise.resolve(),
    };
    await runTasks([slow, task('next', journal)], silentLogger());
    assert.deepEqual(journal, ['execute slow', 'execute next']);
  });

  it('on failure rolls back completed tasks in reverse order, not the failed one, and stops', async () => {
    const journal: string[] = [];
    const failure = new Error('c failed');
    await assert.rejects(
      runTasks([task('a', journal), task('b', journal), task('c', journal, { failExecute: failure }), task('d', journal)], silentLogger()),
      (err: unknown) => err === failure,
    );
    assert.deepEqual(journal, ['execute a', 'execute b', 'execute c', 'rollback b', 'rollback a']);
  });

  it('rolls back nothing when the first task fails', async () => {
    const journal: string[] = [];
    const failure = new Error('first');
    await assert.rejects(runTasks([task('a', journal, { failExecute: failure }), task('b', journal)], silentLogger()), (e: unknown) => e === failure);
    assert.deepEqual(journal, ['execute a']);
  });

  it('rethrows the original error even when a rollback throws, and still runs the other rollbacks', async () => {
    const journal: string[] = [];
    const original = new Error('original');
    const rollbackFailure = new Error('rollback broke');
    await assert.rejects(
      runTasks(
        [task('a', journal), task('b', journal, { failRollback: rollbackFailure }), task('c', journal, { failExecute: original })],
        silentLogger(),
      ),
      (err: unknown) => {
        assert.equal(err, original, 'the original error, not the rollback error');
        return true;
      },
    );
    assert.deepEqual(journal, ['execute a', 'execute b', 'execute c', 'rollback b', 'rollback a']);
  });

  it('rethrows non-Error values unchanged', async () => {
    const journal: string[] = [];
    const thrown = { reason: 'not an Error' };
    const odd: Task = { name: 'odd', execute: () => Promise.reject(thrown), rollback: () => Promise.resolve() };
    await assert.rejects(runTasks([task('a', journal), odd], silentLogger()), (err: unknown) => err === thrown);
    assert.deepEqual(journal, ['execute a', 'rollback a']);
  });

  it('accepts an empty list', async () => {
    await runTasks([], silentLogger());
  });

  it('fails a task on demand at its fault point, before it runs, and rolls back the ones before it', async () => {
    const journal: string[] = [];
    const faults = new FaultInjector();
    faults.arm('task.b');
    await assert.rejects(runTasks([task('a', journal), task('b', journal), task('c', journal)], silentLogger(), faults), /task\.b/);
    assert.deepEqual(journal, ['execute a', 'rollback a']);
  });
});
