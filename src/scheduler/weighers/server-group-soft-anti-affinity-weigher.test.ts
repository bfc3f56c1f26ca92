import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerGroupPolicy } from '../../objects/request-spec.js';
import { group, host, spec } from '../filters/scheduler-harness.test.js';
import { RamWeigher } from './ram-weigher.js';
import { ServerGroupSoftAntiAffinityWeigher } from './server-group-soft-anti-affinity-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const members = ['m1', 'm2', 'm3'];
const hosts = () => [
  host('none', { instanceUuids: ['x'], freeRamMb: 1000 }),
  host('one', { instanceUuids: ['m1', 'x'], freeRamMb: 1000 }),
  host('two', { instanceUuids: ['m2', 'm3'], freeRamMb: 1000 }),
];
const inGroup = (policy: ServerGroupPolicy) => spec({ instance_group: group({ policy, members }) });

describe('ServerGroupSoftAntiAffinityWeigher', () => {
  const w = new ServerGroupSoftAntiAffinityWeigher();

  it('is named as in Nova and counts the members on the host, negated', () => {
    assert.equal(w.name, 'ServerGroupSoftAntiAffinityWeigher');
    assert.deepEqual(hosts().map((h) => w.weigh(h, inGroup('soft-anti-affinity'))), [-0, -1, -2]);
  });

  it('prefers the hosts with fewer members', () => {
    const ranked = weighHosts(hosts(), inGroup('soft-anti-affinity'), [w], {});
    assert.deepEqual(ranked.map((x) => [x.host.host, x.weight]), [['none', 1], ['one', 0.5], ['two', 0]]);
  });

  it('spreads against the RAM preference at equal multipliers once hosts differ in members', () => {
    const hs = [host('roomy', { instanceUuids: ['m1'], freeRamMb: 8000 }), host('tight', { instanceUuids: [], freeRamMb: 6000 })];
    const ranked = weighHosts(hs, inGroup('soft-anti-affinity'), [new RamWeigher(), w], {});
    assert.deepEqual(ranked.map((x) => x.host.host), ['tight', 'roomy']);
  });

  it('applies only to soft-anti-affinity groups', () => {
    assert.equal(w.appliesTo(inGroup('soft-anti-affinity')), true);
    assert.equal(w.appliesTo(inGroup('anti-affinity')), false);
    assert.equal(w.appliesTo(spec({ instance_group: null })), false);
    assert.equal(w.weigh(hosts()[2]!, inGroup('soft-affinity')), 0);
  });

  it('follows soft_anti_affinity_weight_multiplier', () => {
    const ranked = weighHosts(hosts(), inGroup('soft-anti-affinity'), [w], { soft_anti_affinity_weight_multiplier: 0 });
    assert.deepEqual(ranked.map((x) => x.weight), [0, 0, 0]);
  });
});
