import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerGroupPolicy } from '../../objects/request-spec.js';
import { group, host, spec } from '../filters/scheduler-harness.test.js';
import { ServerGroupSoftAffinityWeigher } from './server-group-soft-affinity-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const members = ['m1', 'm2', 'm3'];
const hosts = () => [
  host('none', { instanceUuids: ['x'], freeRamMb: 1000 }),
  host('one', { instanceUuids: ['m1', 'x'], freeRamMb: 1000 }),
  host('two', { instanceUuids: ['m2', 'm3'], freeRamMb: 1000 }),
];
const inGroup = (policy: ServerGroupPolicy) => spec({ instance_group: group({ policy, members }) });

describe('ServerGroupSoftAffinityWeigher', () => {
  const w = new ServerGroupSoftAffinityWeigher();

  it('is named as in Nova and counts the members on the host', () => {
    assert.equal(w.name, 'ServerGroupSoftAffinityWeigher');
    const [none, one, two] = hosts();
    assert.deepEqual([none, one, two].map((h) => w.weigh(h!, inGroup('soft-affinity'))), [0, 1, 2]);
  });

  it('prefers the hosts with more members', () => {
    const ranked = weighHosts(hosts(), inGroup('soft-affinity'), [w], {});
    assert.deepEqual(ranked.map((x) => [x.host.host, x.weight]), [['two', 1], ['one', 0.5], ['none', 0]]);
  });

  it('follows soft_affinity_weight_multiplier', () => {
    const ranked = weighHosts(hosts(), inGroup('soft-affinity'), [w], { soft_affinity_weight_multiplier: 4 });
    assert.equal(ranked[0]?.weight, 4);
  });

  it('applies only to soft-affinity groups', () => {
    assert.equal(w.appliesTo(inGroup('soft-affinity')), true);
    for (const policy of ['affinity', 'anti-affinity', 'soft-anti-affinity'] as const) {
      assert.equal(w.appliesTo(inGroup(policy)), false);
      assert.equal(w.weigh(hosts()[2]!, inGroup(policy)), 0);
    }
    assert.equal(w.appliesTo(spec()), false);
    assert.equal(w.weigh(hosts()[2]!, spec()), 0);
  });
});
