import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Flavor } from '../../objects/flavor.js';
import { boolFromString } from './bool-from-string.js';
import { flavorComparator, parseIsPublic } from './list-flavors.js';

function flavor(id: number, flavorid: string, extra: Partial<Flavor> = {}): Flavor {
  return {
    id, flavorid, name: `f${flavorid}`, memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null,
    disabled: false, is_public: true, description: null, extra_specs: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, ...extra,
  };
}

describe('parseIsPublic', () => {
  it('defaults to public, reads None as all, and booleans strictly', () => {
    assert.equal(parseIsPublic(undefined), true);
    assert.equal(parseIsPublic('None'), undefined);
    assert.equal(parseIsPublic('none'), undefined);
    for (const t of ['True', 'true', '1', 'yes', 'ON', 't']) assert.equal(parseIsPublic(t), true, t);
    for (const f of ['False', 'false', '0', 'no', 'off', 'f']) assert.equal(parseIsPublic(f), false, f);
    assert.throws(() => parseIsPublic('maybe'), /Invalid is_public filter \[maybe\]/);
  });
});

describe('boolFromString', () => {
  it('takes booleans as they are and refuses anything unknown', () => {
    assert.equal(boolFromString(true), true);
    assert.equal(boolFromString(' Yes '), true);
    assert.equal(boolFromString('n'), false);
    assert.equal(boolFromString('2'), undefined);
    assert.equal(boolFromString(1), undefined);
  });
});

describe('flavorComparator', () => {
  it('sorts flavor ids as text and breaks ties by internal id', () => {
    const list = [flavor(1, '5'), flavor(2, '42'), flavor(3, '1'), flavor(4, '10')];
    assert.deepEqual([...list].sort(flavorComparator('flavorid', 'asc')).map((f) => f.flavorid), ['1', '10', '42', '5']);
    const same = [flavor(2, 'b', { memory_mb: 64 }), flavor(1, 'a', { memory_mb: 64 }), flavor(3, 'c', { memory_mb: 32 })];
    assert.deepEqual([...same].sort(flavorComparator('memory_mb', 'asc')).map((f) => f.id), [3, 1, 2]);
    assert.deepEqual([...same].sort(flavorComparator('memory_mb', 'desc')).map((f) => f.id), [2, 1, 3]);
  });

  it('puts null first when ascending, and orders booleans false before true', () => {
    const list = [flavor(1, 'a', { description: 'x' }), flavor(2, 'b'), flavor(3, 'c', { description: 'a' })];
    assert.deepEqual([...list].sort(flavorComparator('description', 'asc')).map((f) => f.id), [2, 3, 1]);
    const pub = [flavor(1, 'a'), flavor(2, 'b', { is_public: false })];
    assert.deepEqual([...pub].sort(flavorComparator('is_public', 'asc')).map((f) => f.id), [2, 1]);
  });
});
