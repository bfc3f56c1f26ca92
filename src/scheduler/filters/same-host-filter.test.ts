import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SameHostFilter } from './same-host-filter.js';
import { host, spec } from './scheduler-harness.test.js';

describe('SameHostFilter', () => {
  const f = new SameHostFilter();

  it('is named as in Nova', () => {
    assert.equal(f.name, 'SameHostFilter');
  });

  it('passes every host without the hint or with an empty list', () => {
    assert.equal(f.passes(host('h'), spec()), true);
    assert.equal(f.passes(host('h'), spec({ scheduler_hints: { same_host: [] } })), true);
    assert.equal(f.passes(host('h'), spec({ scheduler_hints: { different_host: ['x'] } })), true);
  });

  it('passes only hosts running one of the named instances', () => {
    const s = spec({ scheduler_hints: { same_host: ['x', 'y'] } });
    assert.equal(f.passes(host('with-y', { instanceUuids: ['a', 'y'] }), s), true);
    assert.equal(f.passes(host('with-both', { instanceUuids: ['x', 'y'] }), s), true);
    assert.equal(f.passes(host('other', { instanceUuids: ['a'] }), s), false);
    assert.equal(f.passes(host('unknown'), s), false);
  });
});
