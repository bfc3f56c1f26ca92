import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countOverlap, uuidSet } from './uuid-set.js';

describe('uuidSet / countOverlap', () => {
  it('builds a set once per list and again when the list grows', () => {
    const list = ['a', 'b'];
    const first = uuidSet(list);
    assert.equal(uuidSet(list), first);
    list.push('c');
    const grown = uuidSet(list);
    assert.notEqual(grown, first);
    assert.ok(grown.has('c'));
  });

  it('counts the host instances that are in the list', () => {
    assert.equal(countOverlap(['a', 'b', 'c'], ['b', 'c', 'z']), 2);
    assert.equal(countOverlap(['a'], ['z']), 0);
    assert.equal(countOverlap(undefined, ['z']), 0);
    assert.equal(countOverlap(['a'], []), 0);
  });
});
