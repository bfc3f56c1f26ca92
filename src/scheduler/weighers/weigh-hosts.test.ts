import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestSpec } from '../../objects/request-spec.js';
import { host, spec } from '../filters/scheduler-harness.test.js';
import type { HostState } from '../host-state.js';
import type { HostWeigher } from './host-weigher.js';
import { normalize, weighHosts } from './weigh-hosts.js';

/** A weigher reading a number from a table by host name, with a fixed multiplier. */
function table(values: Record<string, number>, multiplier = 1, extra: Partial<HostWeigher> = {}): HostWeigher {
  return { name: 'Table', multiplier: () => multiplier, weigh: (h: HostState) => values[h.host] ?? 0, ...extra };
}

const names = (ranked: { host: HostState }[]): string[] => ranked.map((w) => w.host.host);
const hosts = (...n: string[]): HostState[] => n.map((x) => host(x));

describe('normalize', () => {
  it('maps values onto [0, 1] between their minimum and maximum', () => {
    assert.deepEqual(normalize([2, 4, 6]), [0, 0.5, 1]);
    assert.deepEqual(normalize([-10, 0, 10]), [0, 0.5, 1]);
  });

  it('makes all-equal values 0', () => {
    assert.deepEqual(normalize([3, 3, 3]), [0, 0, 0]);
    assert.deepEqual(normalize([0, 0]), [0, 0]);
  });

  it('uses the given bounds instead of the minimum and maximum', () => {
    assert.deepEqual(normalize([2, 4], { minval: 0 }), [0.5, 1]);
    assert.deepEqual(normalize([3, 3], { minval: 0 }), [1, 1]);
    assert.deepEqual(normalize([2, 4], { minval: 0, maxval: 8 }), [0.25, 0.5]);
    assert.deepEqual(normalize([5, 5], { minval: 5, maxval: 5 }), [0, 0]);
  });

  it('is empty for no values', () => {
    assert.deepEqual(normalize([]), []);
  });
});

describe('weighHosts', () => {
  it('ranks by normalised weight, best first', () => {
    const ranked = weighHosts(hosts('a', 'b', 'c'), spec(), [table({ a: 10, b: 30, c: 20 })], {});
    assert.deepEqual(names(ranked), ['b', 'c', 'a']);
    assert.deepEqual(ranked.map((w) => w.weight), [1, 0.5, 0]);
  });

  it('multiplies each weigher by its multiplier and adds them up', () => {
    const ram = table({ a: 100, b: 0 }, 1);
    const cpu = table({ a: 0, b: 1 }, 3);
    const ranked = weighHosts(hosts('a', 'b'), spec(), [ram, cpu], {});
    assert.deepEqual(names(ranked), ['b', 'a']);
    assert.deepEqual(ranked.map((w) => w.weight), [3, 1]);
  });

  it('turns the order around with a negative multiplier (stacking)', () => {
    const ranked = weighHosts(hosts('a', 'b', 'c'), spec(), [table({ a: 10, b: 30, c: 20 }, -1)], {});
    assert.deepEqual(names(ranked), ['a', 'c', 'b']);
    assert.deepEqual(ranked.map((w) => w.weight), [0, -0.5, -1]);
  });

  it('normalises so that the scale of raw values does not matter', () => {
    const mb = table({ a: 1024, b: 4096 });
    const huge = table({ a: 1_000_000_000, b: 0 });
    const ranked = weighHosts(hosts('a', 'b'), spec(), [mb, huge], {});
    assert.deepEqual(ranked.map((w) => w.weight), [1, 1]);
  });

  it('gives an all-equal weigher no say', () => {
    const flat = table({ a: 7, b: 7, c: 7 }, 1000);
    const ranked = weighHosts(hosts('c', 'a', 'b'), spec(), [flat], {});
    assert.deepEqual(ranked.map((w) => w.weight), [0, 0, 0]);
    assert.deepEqual(names(ranked), ['a', 'b', 'c'], 'ties broken by host name');
  });

  it('breaks ties by host name, then node name, whatever the input order', () => {
    const tied = [host('b'), host('a', { nodename: 'n2' }), host('a', { nodename: 'n1' }), host('c')];
    const ranked = weighHosts(tied, spec(), [table({ a: 1, b: 1, c: 0 })], {});
    assert.deepEqual(ranked.map((w) => `${w.host.host}/${w.host.nodename}`), ['a/n1', 'a/n2', 'b/b.node', 'c/c.node']);
  });

  it('clamps raw weights to minval and normalises from it', () => {
    const ranked = weighHosts(hosts('a', 'b', 'c'), spec(), [table({ a: -50, b: 50, c: 100 }, 1, { minval: 0 })], {});
    assert.deepEqual(ranked.map((w) => [w.host.host, w.weight]), [['c', 1], ['b', 0.5], ['a', 0]]);
  });

  it('clamps raw weights to maxval', () => {
    const ranked = weighHosts(hosts('a', 'b', 'c'), spec(), [table({ a: 0, b: 5, c: 100 }, 1, { maxval: 10 })], {});
    assert.deepEqual(ranked.map((w) => [w.host.host, w.weight]), [['c', 1], ['b', 0.5], ['a', 0]]);
  });

  it('asks the multiplier per host (aggregate overrides)', () => {
    const w = table({ a: 0, b: 1, c: 1 }, 1, { multiplier: (_o, h) => (h.host === 'c' ? 5 : 1) });
    const ranked = weighHosts(hosts('a', 'b', 'c'), spec(), [w], {});
    assert.deepEqual(ranked.map((x) => [x.host.host, x.weight]), [['c', 5], ['b', 1], ['a', 0]]);
  });

  it('skips a weigher that does not apply to the request', () => {
    let calls = 0;
    const off = table({ a: 1 }, 1, {
      appliesTo: (s: RequestSpec) => s.move !== undefined,
      weigh: () => {
        calls += 1;
        return 0;
      },
    });
    weighHosts(hosts('a', 'b'), spec(), [off], {});
    assert.equal(calls, 0);
  });

  it('leaves a single host at weight 0', () => {
    const ranked = weighHosts(hosts('a'), spec(), [table({ a: 10 })], {});
    assert.deepEqual(ranked.map((w) => w.weight), [0]);
  });

  it('returns nothing for no hosts and works without weighers', () => {
    assert.deepEqual(weighHosts([], spec(), [table({})], {}), []);
    assert.deepEqual(names(weighHosts(hosts('b', 'a'), spec(), [], {})), ['a', 'b']);
  });

  it('returns only the best `limit` hosts, in the same order as a full sort', () => {
    const many = Array.from({ length: 200 }, (_, i) => host(`h${String(i).padStart(3, '0')}`));
    const values = Object.fromEntries(many.map((h, i) => [h.host, (i * 37) % 11]));
    const full = weighHosts(many, spec(), [table(values)], {});
    for (const limit of [0, 1, 5, 50, 199, 200, 500]) {
      const top = weighHosts(many, spec(), [table(values)], {}, { limit });
      assert.deepEqual(names(top), names(full).slice(0, limit), `limit ${limit}`);
    }
  });
});
