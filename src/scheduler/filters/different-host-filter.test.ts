import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DifferentHostFilter } from './different-host-filter.js';
import { host, spec } from './scheduler-harness.test.js';

describe('DifferentHostFilter', () => {
  const f = new DifferentHostFilter();

  it('is named as in Nova', () => {
    assert.equal(f.name, 'DifferentHostFilter');
  });

  it('passes every host without the hint or with an empty list', () => {
    assert.equal(f.passes(host('h', { instanceUuids: ['x'] }), spec()), true);
    assert.equal(f.passes(host('h', { instanceUuids: ['x'] }), spec({ scheduler_hints: { different_host: [] } })), true);
    assert.equal(f.passes(host('h', { instanceUuids: ['x'] }), spec({ scheduler_hints: { same_host: ['x'] } })), true);
  });

  it('refuses hosts running any of the named instances', () => {
    const s = spec({ scheduler_hints: { different_host: ['x', 'y'] } });
    assert.equal(f.passes(host('with-y', { instanceUuids: ['a', 'y'] }), s), false);
    assert.equal(f.passes(host('other', { instanceUuids: ['a'] }), s), true);
    assert.equal(f.passes(host('empty'), s), true);
  });
});
