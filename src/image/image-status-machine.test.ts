import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError } from '../common/errors.js';
import { assertTransition, canTransition } from './image-status-machine.js';
import { IMAGE_STATUSES } from './image-status.js';

describe('image status machine', () => {
  it('follows the upload path queued → saving → active, and killed only to deleted', () => {
    assert.equal(canTransition('queued', 'saving'), true);
    assert.equal(canTransition('saving', 'active'), true);
    assert.equal(canTransition('saving', 'killed'), true);
    assert.deepEqual(IMAGE_STATUSES.filter((to) => canTransition('killed', to)), ['deleted']);
  });

  it('deactivates only active images and reactivates only deactivated ones', () => {
    assert.deepEqual(IMAGE_STATUSES.filter((from) => canTransition(from, 'deactivated')), ['active']);
    assert.equal(canTransition('deactivated', 'active'), true);
    assert.equal(canTransition('deactivated', 'saving'), false);
  });

  it('never leaves deleted, and refuses with Glance\'s 409 message', () => {
    assert.deepEqual(IMAGE_STATUSES.filter((to) => canTransition('deleted', to)), []);
    assert.throws(() => assertTransition('active', 'saving'), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.equal(err.code, 'image.invalid_status_transition');
      assert.equal(err.message, 'Image status transition from active to saving is not allowed');
      return true;
    });
    assert.doesNotThrow(() => assertTransition('queued', 'saving'));
  });
});
