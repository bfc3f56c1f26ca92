import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFromSubset } from './host-subset.js';

describe('chooseFromSubset', () => {
  const ranked = ['h1', 'h2', 'h3', 'h4'];

  it('picks among the best N with the injected random, the rest following in rank order', () => {
    assert.deepEqual(chooseFromSubset(ranked, 3, () => 0), ['h1', 'h2', 'h3', 'h4']);
    assert.deepEqual(chooseFromSubset(ranked, 3, () => 0.5), ['h2', 'h1', 'h3', 'h4']);
    assert.deepEqual(chooseFromSubset(ranked, 3, () => 0.99), ['h3', 'h1', 'h2', 'h4']);
  });

  it('never goes past the subset, even with random() close to 1 or out of range', () => {
    assert.equal(chooseFromSubset(ranked, 2, () => 0.9999999999999999)[0], 'h2');
    assert.equal(chooseFromSubset(ranked, 2, () => 1)[0], 'h2');
    assert.equal(chooseFromSubset(ranked, 2, () => -0.5)[0], 'h1');
  });

  it('is clamped to the number of hosts, and treats sizes below 1 as 1', () => {
    assert.equal(chooseFromSubset(ranked, 10, () => 0.99)[0], 'h4');
    assert.deepEqual(chooseFromSubset(ranked, 0, () => 0.99), ranked);
    assert.deepEqual(chooseFromSubset(ranked, Number.NaN, () => 0.99), ranked);
  });

  it('does not call random when there is nothing to choose', () => {
    const never = (): number => assert.fail('random() called');
    assert.deepEqual(chooseFromSubset(ranked, 1, never), ranked);
    assert.deepEqual(chooseFromSubset(['only'], 5, never), ['only']);
    assert.deepEqual(chooseFromSubset([], 5, never), []);
  });

  it('leaves the input alone', () => {
    const input = [...ranked];
    chooseFromSubset(input, 4, () => 0.9);
    assert.deepEqual(input, ranked);
  });
});
