import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate, host } from '../filters/scheduler-harness.test.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';

describe('aggregateMultiplier', () => {
  it('is the configured value when no aggregate sets it', () => {
    assert.equal(aggregateMultiplier(host('h'), 'ram_weight_multiplier', 2), 2);
    assert.equal(aggregateMultiplier(host('h', { aggregates: [aggregate('a', { ssd: 'true' })] }), 'ram_weight_multiplier', 2), 2);
  });

  it('is the aggregate value, the smallest of several', () => {
    const h = host('h', { aggregates: [aggregate('a', { ram_weight_multiplier: '3.5' }), aggregate('b', { ram_weight_multiplier: '-1' })] });
    assert.equal(aggregateMultiplier(h, 'ram_weight_multiplier', 1), -1);
    assert.equal(aggregateMultiplier(host('h', { aggregates: [aggregate('a', { ram_weight_multiplier: ' 0 ' })] }), 'ram_weight_multiplier', 1), 0);
  });

  it('falls back to the configured value when a value is not a number', () => {
    const h = host('h', { aggregates: [aggregate('a', { ram_weight_multiplier: '2' }), aggregate('b', { ram_weight_multiplier: 'lots' })] });
    assert.equal(aggregateMultiplier(h, 'ram_weight_multiplier', 1), 1);
    assert.equal(aggregateMultiplier(host('h', { aggregates: [aggregate('a', { ram_weight_multiplier: 'nan' })] }), 'ram_weight_multiplier', 1), 1);
  });
});
