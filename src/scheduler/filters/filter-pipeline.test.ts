import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestSpec } from '../../objects/request-spec.js';
import { consumeFromRequest, type HostState } from '../host-state.js';
import { weighersFromConfig } from '../weighers/weigher-registry.js';
import { weighHosts } from '../weighers/weigh-hosts.js';
import { filtersFromConfig } from './filter-registry.js';
import { group, host, spec } from './scheduler-harness.test.js';

/** Places the instances of one request one by one, as the scheduler does: filter, weigh, consume. */
function place(hosts: HostState[], sp: RequestSpec, uuids: string[]): (string | null)[] {
  const filters = filtersFromConfig(['ComputeFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter']);
  const weighers = weighersFromConfig(['nova.scheduler.weights.all_weighers']);
  return uuids.map((uuid) => {
    const s = { ...sp, instance_uuid: uuid };
    const candidates = hosts.filter((h) => filters.every((f) => f.passes(h, s)));
    const chosen = weighHosts(candidates, s, weighers, {}, { limit: 1 })[0]?.host;
    if (chosen === undefined) return null;
    consumeFromRequest(chosen, s, uuid);
    return chosen.host;
  });
}

describe('consumeFromRequest', () => {
  it('takes the flavor from the free room and records the instance and the group host', () => {
    const h = host('a', { instanceUuids: ['old'] });
    const before = h.instanceUuids;
    const s = spec({ instance_group: group({ hosts: [] }) });
    s.flavor = { ...s.flavor, vcpus: 2, memory_mb: 1024, root_gb: 10, ephemeral_gb: 5, swap: 1 };
    consumeFromRequest(h, s, 'new');
    assert.deepEqual([h.freeVcpus, h.freeRamMb, h.freeDiskGb], [14, 15360, 84]);
    assert.deepEqual(h.instanceUuids, ['old', 'new']);
    assert.deepEqual(before, ['old'], 'the previous list is left alone');
    assert.equal(h.numInstances, 2);
    assert.deepEqual(s.instance_group?.hosts, ['a']);
    consumeFromRequest(h, s, 'newer');
    assert.deepEqual(s.instance_group?.hosts, ['a'], 'a host is listed once');
    assert.equal(h.numInstances, 3);
  });
});

describe('filters and weighers over one multi-instance request', () => {
  it('spreads an anti-affinity group over two hosts, and finds no host for a third member', () => {
    const hosts = [host('a'), host('b')];
    const sp = spec({ instance_group: group({ policy: 'anti-affinity', members: ['i1', 'i2', 'i3'] }) });
    assert.deepEqual(place(hosts, sp, ['i1', 'i2']).sort(), ['a', 'b']);
    assert.deepEqual(place(hosts, sp, ['i3']), [null]);
  });

  it('keeps an affinity group on the first member host', () => {
    const hosts = [host('a', { freeRamMb: 4096 }), host('b', { freeRamMb: 8192 })];
    const sp = spec({ instance_group: group({ policy: 'affinity', members: ['i1', 'i2', 'i3'] }) });
    assert.deepEqual(place(hosts, sp, ['i1', 'i2', 'i3']), ['b', 'b', 'b']);
  });

  it('spreads a soft-anti-affinity group, then shares hosts once every host has a member', () => {
    const hosts = [host('a'), host('b')];
    const sp = spec({ instance_group: group({ policy: 'soft-anti-affinity', members: ['i1', 'i2', 'i3'] }) });
    const got = place(hosts, sp, ['i1', 'i2', 'i3']);
    assert.deepEqual(got.slice(0, 2).sort(), ['a', 'b']);
    assert.ok(got[2] === 'a' || got[2] === 'b');
  });

  it('gathers a soft-affinity group on one host', () => {
    const hosts = [host('a'), host('b'), host('c')];
    const sp = spec({ instance_group: group({ policy: 'soft-affinity', members: ['i1', 'i2', 'i3'] }) });
    const got = place(hosts, sp, ['i1', 'i2', 'i3']);
    assert.equal(new Set(got).size, 1);
  });
});
