import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { host, spec } from '../filters/scheduler-harness.test.js';
import { BuildFailureWeigher } from './build-failure-weigher.js';
import { RamWeigher } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';

describe('BuildFailureWeigher', () => {
  const w = new BuildFailureWeigher();

  it('is named as in Nova, weighs failed builds and negates its multiplier', () => {
    assert.equal(w.name, 'BuildFailureWeigher');
    assert.equal(w.weigh(host('h', { failedBuilds: 3 })), 3);
    assert.equal(w.weigh(host('h')), 0);
    assert.equal(w.multiplier({}, host('h')), -1_000_000);
    assert.equal(w.multiplier({ build_failure_weight_multiplier: 2 }, host('h')), -2);
  });

  it('pushes a failing host below every healthy one', () => {
    const hs = [host('failing', { failedBuilds: 1, freeRamMb: 65536 }), host('healthy', { failedBuilds: 0, freeRamMb: 512 })];
    assert.deepEqual(weighHosts(hs, spec(), [new RamWeigher(), w], {}).map((x) => x.host.host), ['healthy', 'failing']);
  });

  it('has no say without failure counts', () => {
    const hs = [host('a', { freeRamMb: 1 }), host('b', { freeRamMb: 2 })];
    assert.deepEqual(weighHosts(hs, spec(), [w], {}).map((x) => x.weight), [0, 0]);
  });
});
