import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestEffort } from './best-effort.js';
import type { Logger } from './logger.js';

describe('bestEffort', () => {
  it('answers true when the step went through, false when it failed, and logs the failure with its context', async () => {
    const logged: unknown[] = [];
    const log = { error: (obj: unknown) => void logged.push(obj) } as unknown as Logger;
    assert.equal(await bestEffort(log, 'ok', async () => 1), true);
    assert.deepEqual(logged, []);
    const err = new Error('boom');
    assert.equal(await bestEffort(log, 'delete_binding', () => Promise.reject(err), { port_id: 'p1' }), false);
    assert.deepEqual(logged, [{ err, step: 'delete_binding', port_id: 'p1' }]);
  });
});
