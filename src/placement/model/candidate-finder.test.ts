import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCandidates } from './candidate-finder.js';
import { PlacementReadModel } from './placement-read-model.js';
import { forEachMatch } from './provider-query.js';
import { newProviderMemo, resourceState, type InventoryValues, type ProviderState } from './provider-state.js';

const AGG_A = 'aaaaaaaa-0000-4000-8000-000000000000';
const AGG_B = 'bbbbbbbb-0000-4000-8000-000000000000';
const AGG_C = 'cccccccc-0000-4000-8000-000000000000';

let nextId = 1;
function provider(name: string, options: { inv?: Record<string, Partial<InventoryValues> & { total: number; used?: number }>; aggs?: string[]; traits?: string[]; parent?: ProviderState } = {}): ProviderState {
  const id = nextId++;
  const uuid = `${String(id).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const resources = new Map(
    Object.entries(options.inv ?? { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } }).map(([rc, i]) => [
      rc,
      resourceState({ total: i.total, reserved: i.reserved ?? 0, min_unit: i.min_unit ?? 1, max_unit: i.max_unit ?? i.total, step_size: i.step_size ?? 1, allocation_ratio: i.allocation_ratio ?? 1 }, i.used ?? 0),
    ]),
  );
  const traits = [...(options.traits ?? [])].sort();
  return {
    id,
    uuid,
    name,
    generation: 1,
    parentUuid: options.parent?.uuid ?? null,
    rootUuid: options.parent?.rootUuid ?? uuid,
    resources,
    aggregates: new Set(options.aggs ?? []),
    traits: new Set(traits),
    traitList: traits,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: null,
    memo: newProviderMemo(),
  };
}

function names(found: readonly ProviderState[]): string[] {
  return found.map((p) => p.name);
}

describe('allocation candidates from the read model', () => {
  const model = new PlacementReadModel();
  const h1 = provider('h1', { aggs: [AGG_A], traits: ['HW_CPU_X86_AVX2', 'COMPUTE_NODE'] });
  const h2 = provider('h2', { aggs: [AGG_B], traits: ['COMPUTE_NODE'] });
  const h3 = provider('h3', { aggs: [AGG_A, AGG_C], traits: ['HW_CPU_X86_AVX2', 'COMPUTE_STATUS_DISABLED'] });
  const full = provider('full', { inv: { VCPU: { total: 4, used: 4 }, MEMORY_MB: { total: 4096 } } });
  const over = provider('overcommit', { inv: { VCPU: { total: 4, used: 10, allocation_ratio: 4, max_unit: 16 }, MEMORY_MB: { total: 4096, reserved: 4000 } } });
  const stepped = provider('stepped', { inv: { VCPU: { total: 8, min_unit: 2, max_unit: 4, step_size: 2 }, MEMORY_MB: { total: 4096 } } });
  for (const p of [h1, h2, h3, full, over, stepped]) model.upsert(p);
  const want = (vcpu: number, mem = 128) => new Map([['VCPU', vcpu], ['MEMORY_MB', mem]]);

  it('keeps providers with room for every class, in model order', () => {
    assert.deepEqual(names(findCandidates(model, { resources: want(1) })), ['h1', 'h2', 'h3']);
    // overcommit: capacity (4 - 0) * 4 = 16, 10 used; memory capacity 96 after reserved.
    assert.deepEqual(names(findCandidates(model, { resources: want(6, 96) })), ['h1', 'h2', 'h3', 'overcommit']);
    assert.deepEqual(names(findCandidates(model, { resources: want(7, 96) })), ['h1', 'h2', 'h3']);
    assert.deepEqual(names(findCandidates(model, { resources: new Map([['DISK_GB', 1]]) })), []);
  });

  it('honours min_unit, max_unit and step_size', () => {
    const ofStepped = (n: number) => findCandidates(model, { resources: want(n) }).some((p) => p.name === 'stepped');
    assert.equal(ofStepped(1), false, 'below min_unit');
    assert.equal(ofStepped(2), true);
    assert.equal(ofStepped(3), false, 'not a multiple of step_size');
    assert.equal(ofStepped(4), true);
    assert.equal(ofStepped(6), false, 'above max_unit');
  });

  it('filters by member_of: any of a group, all of the groups, none of the forbidden', () => {
    assert.deepEqual(names(findCandidates(model, { resources: want(1), memberOf: [[AGG_A]] })), ['h1', 'h3']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), memberOf: [[AGG_B, AGG_C]] })), ['h2', 'h3']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), memberOf: [[AGG_A], [AGG_C]] })), ['h3']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), memberOf: [[AGG_A]], forbiddenAggregates: new Set([AGG_C]) })), ['h1']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), memberOf: [['dddddddd-0000-4000-8000-000000000000']] })), []);
  });

  it('filters by required (any-of groups) and forbidden traits', () => {
    assert.deepEqual(names(findCandidates(model, { resources: want(1), required: [['HW_CPU_X86_AVX2']] })), ['h1', 'h3']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), required: [['HW_CPU_X86_AVX2'], ['COMPUTE_NODE']] })), ['h1']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), required: [['HW_CPU_X86_AVX2', 'COMPUTE_NODE']] })), ['h1', 'h2', 'h3']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), forbidden: new Set(['COMPUTE_STATUS_DISABLED']) })), ['h1', 'h2']);
  });

  it('stops at the limit', () => {
    assert.deepEqual(names(findCandidates(model, { resources: want(1), limit: 2 })), ['h1', 'h2']);
    assert.deepEqual(names(findCandidates(model, { resources: want(1), limit: 0 })), []);
  });

  it('restricts to one tree with in_tree, and counts a child in its root\'s aggregates', () => {
    const nested = new PlacementReadModel();
    const root = provider('root', { aggs: [AGG_A], inv: {} });
    const child = provider('child', { parent: root });
    const other = provider('other', { aggs: [AGG_A] });
    for (const p of [root, child, other]) nested.upsert(p);
    assert.deepEqual(names(findCandidates(nested, { resources: want(1), inTree: root.uuid })), ['child']);
    assert.deepEqual(names(findCandidates(nested, { resources: want(1), inTree: child.uuid })), ['child']);
    assert.deepEqual(names(findCandidates(nested, { resources: want(1), inTree: '99999999-0000-4000-8000-000000000000' })), []);
    assert.deepEqual(names(findCandidates(nested, { resources: want(1), memberOf: [[AGG_A]] })), ['child', 'other']);
  });

  it('finds providers by uuid and name for the provider list', () => {
    const seen: string[] = [];
    forEachMatch(model, { name: 'h2' }, (p) => (seen.push(p.name), true));
    forEachMatch(model, { uuid: h3.uuid }, (p) => (seen.push(p.name), true));
    forEachMatch(model, { name: 'nope' }, (p) => (seen.push(p.name), true));
    assert.deepEqual(seen, ['h2', 'h3']);
  });
});

describe('read model updates', () => {
  it('answers afresh for a provider whose usage or inventory moved since it was last asked', () => {
    const model = new PlacementReadModel();
    const p = provider('p', { inv: { VCPU: { total: 4 }, MEMORY_MB: { total: 4096 } } });
    model.upsert(p);
    const two = { resources: new Map([['VCPU', 2], ['MEMORY_MB', 128]]) };
    const one = { resources: new Map([['VCPU', 1], ['MEMORY_MB', 128]]) };
    assert.deepEqual(names(findCandidates(model, two)), ['p']);
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 1, toGeneration: 2, deltas: new Map([['VCPU', 3]]) }), 'applied');
    assert.deepEqual(names(findCandidates(model, two)), [], 'one VCPU left');
    assert.deepEqual(names(findCandidates(model, one)), ['p'], 'other amounts asked in between');
    assert.deepEqual(names(findCandidates(model, two)), []);
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 2, toGeneration: 3, deltas: new Map([['VCPU', -3]]) }), 'applied');
    assert.deepEqual(names(findCandidates(model, two)), ['p'], 'freed');
    const inv = { reserved: 0, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 };
    const inventories = new Map([['VCPU', { ...inv, total: 1 }], ['MEMORY_MB', { ...inv, total: 4096, max_unit: 4096 }]]);
    assert.equal(model.apply({ kind: 'inventory', uuid: p.uuid, fromGeneration: 3, toGeneration: 4, inventories }), 'applied');
    assert.deepEqual(names(findCandidates(model, two)), [], 'above the new max_unit');
    assert.deepEqual(names(findCandidates(model, one)), ['p']);
  });

  it('applies a change only onto the generation it started from', () => {
    const model = new PlacementReadModel();
    const p = provider('p');
    model.upsert(p);
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 1, toGeneration: 2, deltas: new Map([['VCPU', 3]]) }), 'applied');
    assert.equal(model.get(p.uuid)?.resources.get('VCPU')?.used, 3);
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 1, toGeneration: 2, deltas: new Map([['VCPU', 3]]) }), 'superseded');
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 5, toGeneration: 6, deltas: new Map([['VCPU', 1]]) }), 'stale');
    assert.equal(model.apply({ kind: 'usage', uuid: p.uuid, fromGeneration: 2, toGeneration: 3, deltas: new Map([['DISK_GB', 1]]) }), 'stale');
    assert.equal(model.get(p.uuid)?.resources.get('VCPU')?.used, 3);
  });

  it('re-indexes aggregates and refuses an older state', () => {
    const model = new PlacementReadModel();
    const p = provider('p', { aggs: [AGG_A] });
    model.upsert(p);
    assert.equal(model.apply({ kind: 'aggregates', uuid: p.uuid, fromGeneration: 1, toGeneration: 2, aggregates: [AGG_B] }), 'applied');
    assert.equal(model.membersOf(AGG_A), undefined);
    assert.deepEqual([...(model.membersOf(AGG_B) ?? [])], [p.uuid]);
    assert.equal(model.upsert({ ...provider('p-old'), uuid: p.uuid, id: p.id, generation: 1 }), false);
    assert.equal(model.get(p.uuid)?.name, 'p');
    // The same uuid on another row (deleted and created again) is a new provider: it replaces.
    assert.equal(model.upsert({ ...provider('p-again'), uuid: p.uuid, id: p.id + 1000, generation: 0 }), true);
    assert.equal(model.get(p.uuid)?.name, 'p-again');
  });
});
