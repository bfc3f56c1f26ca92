import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { group, host, spec } from './scheduler-harness.test.js';
import { ServerGroupAntiAffinityFilter } from './server-group-anti-affinity-filter.js';

describe('ServerGroupAntiAffinityFilter', () => {
  const f = new ServerGroupAntiAffinityFilter();
  const members = ['m1', 'm2', 'm3', 'i-new'];

  it('is named as in Nova', () => {
    assert.equal(f.name, 'ServerGroupAntiAffinityFilter');
  });

  it('passes every host without a group or with another policy', () => {
    const busy = host('h', { instanceUuids: ['m1', 'm2'] });
    assert.equal(f.passes(busy, spec()), true);
    assert.equal(f.passes(busy, spec({ instance_group: null })), true);
    for (const policy of ['affinity', 'soft-affinity', 'soft-anti-affinity'] as const) {
      assert.equal(f.passes(busy, spec({ instance_group: group({ policy, members }) })), true, policy);
    }
  });

  it('by default refuses a host that already has a member', () => {
    const s = spec({ instance_group: group({ members }) });
    assert.equal(f.passes(host('empty'), s), true);
    assert.equal(f.passes(host('others', { instanceUuids: ['x', 'y'] }), s), true);
    assert.equal(f.passes(host('taken', { instanceUuids: ['x', 'm2'] }), s), false);
  });

  it('allows up to max_server_per_host members per host', () => {
    const s = spec({ instance_group: group({ members, rules: { max_server_per_host: 2 } }) });
    assert.equal(f.passes(host('one', { instanceUuids: ['m1'] }), s), true);
    assert.equal(f.passes(host('two', { instanceUuids: ['m1', 'x', 'm2'] }), s), false);
  });

  it('treats an unusable max_server_per_host as 1', () => {
    for (const bad of [0, -1, 1.5]) {
      const s = spec({ instance_group: group({ members, rules: { max_server_per_host: bad } }) });
      assert.equal(f.passes(host('one', { instanceUuids: ['m1'] }), s), false, String(bad));
    }
  });

  it('passes the host the instance is already on (a move may consider its source)', () => {
    const s = spec({ instance_uuid: 'm1', instance_group: group({ members }) });
    assert.equal(f.passes(host('source', { instanceUuids: ['m1', 'm2'] }), s), true);
  });

  it('sees members placed earlier in the same request once the scheduler records them', () => {
    const h = host('h', { instanceUuids: [] });
    const s = spec({ instance_group: group({ members: ['a', 'b'] }) });
    assert.equal(f.passes(h, s), true);
    h.instanceUuids?.push('a');
    assert.equal(f.passes(h, { ...s, instance_uuid: 'b' }), false);
  });
});
