import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { host, spec } from '../filters/scheduler-harness.test.js';
import { NumInstancesWeigher } from './num-instances-weigher.js';
import { weighHosts } from './weigh-hosts.js';

describe('NumInstancesWeigher', () => {
  const w = new NumInstancesWeigher();
  const hs = () => [host('busy', { numInstances: 10 }), host('idle', { numInstances: 0 }), host('listed', { instanceUuids: ['a', 'b', 'c', 'd', 'e'] })];

  it('is named as in Nova and weighs the instance count', () => {
    assert.equal(w.name, 'NumInstancesWeigher');
    assert.deepEqual(hs().map((h) => w.weigh(h)), [10, 0, 5]);
    assert.equal(w.weigh(host('unknown')), 0);
  });

  it('is off by default', () => {
    assert.deepEqual(weighHosts(hs(), spec(), [w], {}).map((x) => x.weight), [0, 0, 0]);
  });

  it('spreads by count with a negative multiplier and packs with a positive one', () => {
    assert.deepEqual(weighHosts(hs(), spec(), [w], { num_instances_weight_multiplier: -1 }).map((x) => x.host.host), ['idle', 'listed', 'busy']);
    assert.deepEqual(weighHosts(hs(), spec(), [w], { num_instances_weight_multiplier: 1 }).map((x) => x.host.host), ['busy', 'listed', 'idle']);
  });
});
