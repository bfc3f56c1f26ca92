import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { group, host, spec } from './scheduler-harness.test.js';
import { ServerGroupAffinityFilter } from './server-group-affinity-filter.js';

describe('ServerGroupAffinityFilter', () => {
  const f = new ServerGroupAffinityFilter();

  it('is named as in Nova', () => {
    assert.equal(f.name, 'ServerGroupAffinityFilter');
  });

  it('passes every host without a group or with another policy', () => {
    assert.equal(f.passes(host('b'), spec()), true);
    for (const policy of ['anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const) {
      assert.equal(f.passes(host('b'), spec({ instance_group: group({ policy, hosts: ['a'] }) })), true, policy);
    }
  });

  it('passes every host for the first member', () => {
    assert.equal(f.passes(host('b'), spec({ instance_group: group({ policy: 'affinity', hosts: [] }) })), true);
  });

  it('keeps later members on the group hosts', () => {
    const s = spec({ instance_group: group({ policy: 'affinity', hosts: ['a'], members: ['m1'] }) });
    assert.equal(f.passes(host('a'), s), true);
    assert.equal(f.passes(host('b'), s), false);
  });
});
