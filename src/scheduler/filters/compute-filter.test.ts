import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComputeFilter } from './compute-filter.js';
import { host } from './scheduler-harness.test.js';

describe('ComputeFilter', () => {
  const f = new ComputeFilter();

  it('passes a host whose service is up and enabled', () => {
    assert.equal(f.name, 'ComputeFilter');
    assert.equal(f.passes(host('h')), true);
  });

  it('refuses a host whose service is down, disabled, or both', () => {
    assert.equal(f.passes(host('h', { serviceUp: false })), false);
    assert.equal(f.passes(host('h', { serviceDisabled: true })), false);
    assert.equal(f.passes(host('h', { serviceUp: false, serviceDisabled: true })), false);
  });
});
