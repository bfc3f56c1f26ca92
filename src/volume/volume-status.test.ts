import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELETABLE_STATUSES, orList, refusesAttachments, reservableStatuses, statusFromAttachments } from './volume-status.js';

describe('the volume status machine', () => {
  it('derives the volume status from the most advanced attachment', () => {
    assert.equal(statusFromAttachments([]), 'available');
    assert.equal(statusFromAttachments(['reserved']), 'reserved');
    assert.equal(statusFromAttachments(['attaching']), 'attaching');
    assert.equal(statusFromAttachments(['attached']), 'in-use');
    assert.equal(statusFromAttachments(['detaching']), 'detaching');
    assert.equal(statusFromAttachments(['reserved', 'detaching']), 'detaching');
    assert.equal(statusFromAttachments(['reserved', 'attaching', 'detaching']), 'attaching');
    assert.equal(statusFromAttachments(['reserved', 'attached', 'attaching']), 'in-use', 'an attached volume stays in-use while a second host connects');
  });

  it('reserves a free volume, and an in-use one only when it is multiattach', () => {
    assert.deepEqual(reservableStatuses(false), ['available']);
    assert.deepEqual(reservableStatuses(true), ['available', 'in-use']);
  });

  it('takes no attachment while creating, deleting or in error', () => {
    for (const s of ['creating', 'deleting', 'error', 'error_deleting'] as const) assert.equal(refusesAttachments(s), true, s);
    for (const s of ['available', 'reserved', 'attaching', 'in-use', 'detaching'] as const) assert.equal(refusesAttachments(s), false, s);
  });

  it('deletes only free or failed volumes', () => {
    assert.deepEqual([...DELETABLE_STATUSES], ['available', 'error', 'error_deleting']);
  });

  it('spells lists as Cinder does', () => {
    assert.equal(orList(['available']), 'available');
    assert.equal(orList(['available', 'in-use']), 'available or in-use');
    assert.equal(orList(['a', 'b', 'c']), 'a, b or c');
  });
});
