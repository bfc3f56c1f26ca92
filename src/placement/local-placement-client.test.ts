import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { InjectedFaultError, TesseraError } from '../common/errors.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import type { PlacementClient } from './placement-client.js';
import { placementRuleDefaults } from './placement-policy-rules.js';
import { PlacementService } from './placement-service.js';

const ids = new RandomIdGenerator();
const owner = { projectId: 'project-a', userId: 'user-a' };

/** Asserts that a promise rejects with a TesseraError of this status and code. */
async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof TesseraError, String(err));
    assert.equal(err.status, status, err.message);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

describe('LocalPlacementClient', () => {
  let service: PlacementService;
  let client: PlacementClient;
  const faults = new FaultInjector();

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://', faults });
    client = service.client();
  });
  after(() => service.close());

  let rp: string;
  beforeEach(async () => {
    rp = ids.uuid();
    await client.ensureProvider({ uuid: rp, name: `node-${rp}` });
    await client.setInventory(rp, { VCPU: { total: 20 }, MEMORY_MB: { total: 4096, reserved: 512 }, DISK_GB: { total: 100, min_unit: 1, max_unit: 50, step_size: 5 } });
  });
  const claim = (consumer: string, resources: Record<string, number>, consumerGeneration: number | null = null) =>
    client.claim(consumer, { [rp]: { resources } }, { ...owner, consumerGeneration });

  it('creates a provider once, and refuses a second one with the same name', async () => {
    const again = await client.ensureProvider({ uuid: rp, name: `node-${rp}` });
    assert.equal(again.uuid, rp);
    assert.equal(again.root_provider_uuid, rp);
    assert.equal((await client.providerByName(`node-${rp}`))?.uuid, rp);
    await rejectsWith(client.ensureProvider({ uuid: ids.uuid(), name: `node-${rp}` }), 409, 'duplicate_name');
  });

  it('fills inventory defaults, skips unchanged writes and refuses a stale generation', async () => {
    const first = await client.setInventory(rp, { VCPU: { total: 20 }, MEMORY_MB: { total: 4096, reserved: 512 }, DISK_GB: { total: 100, max_unit: 50, step_size: 5 } });
    assert.deepEqual(first.inventories['VCPU'], { total: 20, reserved: 0, min_unit: 1, max_unit: 20, step_size: 1, allocation_ratio: 1 });
    const unchanged = await client.setInventory(rp, { VCPU: { total: 20 }, MEMORY_MB: { total: 4096, reserved: 512 }, DISK_GB: { total: 100, max_unit: 50, step_size: 5 } });
    assert.equal(unchanged.generation, first.generation);
    await rejectsWith(client.setInventory(rp, { VCPU: { total: 30 } }, { generation: first.generation - 1 }), 409, 'concurrent_update');
    const changed = await client.setInventory(rp, { VCPU: { total: 30 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } }, { generation: first.generation });
    assert.equal(changed.generation, first.generation + 1);
    await rejectsWith(client.setInventory(rp, { BOGUS_CLASS: { total: 1 } }), 400, 'undefined_code');
  });

  it('lets exactly the capacity through when 50 claims race for 20 VCPUs', async () => {
    let peak = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        peak = Math.max(peak, (await client.usages(rp)).usages['VCPU'] ?? 0);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const results = await Promise.all(Array.from({ length: 50 }, () => claim(ids.uuid(), { VCPU: 1, MEMORY_MB: 10 })));
    polling = false;
    await poll;
    assert.equal(results.filter(Boolean).length, 20);
    assert.equal((await client.usages(rp)).usages['VCPU'], 20);
    assert.ok(peak <= 20, `usage peaked at ${peak}`);
    const candidates = await client.getAllocationCandidates({ resources: { VCPU: 1 } });
    assert.equal(candidates.some((c) => rp in c.allocation_request.allocations), false);
  });

  it('checks consumer generations and replaces a consumer\'s allocations', async () => {
    const consumer = ids.uuid();
    assert.equal(await claim(consumer, { VCPU: 2 }), true);
    const current = await client.getAllocations(consumer);
    assert.equal(current.consumer_generation, 1);
    assert.deepEqual(current.allocations[rp]?.resources, { VCPU: 2 });
    await rejectsWith(claim(consumer, { VCPU: 3 }, null), 409, 'concurrent_update');
    await rejectsWith(claim(consumer, { VCPU: 3 }, 7), 409, 'concurrent_update');
    assert.equal(await claim(consumer, { VCPU: 3 }, 1), true);
    assert.equal((await client.usages(rp)).usages['VCPU'], 3);
    assert.equal((await client.getAllocations(consumer)).consumer_generation, 2);
    assert.equal(await client.deleteAllocations(consumer), true);
    assert.equal(await client.deleteAllocations(consumer), false);
    assert.equal((await client.usages(rp)).usages['VCPU'], 0);
    assert.equal((await client.getAllocations(consumer)).consumer_generation, null);
  });

  it('enforces min_unit, max_unit and step_size on claims', async () => {
    assert.equal(await claim(ids.uuid(), { DISK_GB: 7 }), false, 'not a multiple of step_size');
    assert.equal(await claim(ids.uuid(), { DISK_GB: 55 }), false, 'above max_unit');
    assert.equal(await claim(ids.uuid(), { DISK_GB: 10 }), true);
    assert.equal(await claim(ids.uuid(), { MEMORY_MB: 3585 }), false, 'beyond total - reserved');
    assert.equal(await claim(ids.uuid(), { PCPU: 1 }), false, 'no inventory of the class');
    await rejectsWith(claim(ids.uuid(), { NOT_A_CLASS: 1 }), 400, 'undefined_code');
    await rejectsWith(client.claim(ids.uuid(), { [ids.uuid()]: { resources: { VCPU: 1 } } }, { ...owner, consumerGeneration: null }), 400, 'undefined_code');
    assert.deepEqual((await client.usages(rp)).usages, { VCPU: 0, MEMORY_MB: 0, DISK_GB: 10 });
  });

  it('moves allocations between consumers, and a failed multi-consumer write changes nothing', async () => {
    const instance = ids.uuid();
    const migration = ids.uuid();
    assert.equal(await claim(instance, { VCPU: 4, MEMORY_MB: 256 }), true);
    assert.equal(await client.moveAllocations(instance, migration, { consumerType: 'MIGRATION' }), true);
    assert.deepEqual((await client.getAllocations(instance)).allocations, {});
    const moved = await client.getAllocations(migration);
    assert.deepEqual(moved.allocations[rp]?.resources, { VCPU: 4, MEMORY_MB: 256 });
    assert.equal(moved.project_id, owner.projectId);
    assert.equal(moved.consumer_type, 'MIGRATION');
    assert.equal(await client.moveAllocations(instance, migration), false, 'nothing left to move');

    // Back to the instance, but the instance also asks for more than fits: nothing moves.
    const tooMuch = await client.writeAllocations({
      [migration]: { allocations: {}, project_id: owner.projectId, user_id: owner.userId, consumer_generation: moved.consumer_generation },
      [instance]: { allocations: { [rp]: { resources: { VCPU: 21 } } }, project_id: owner.projectId, user_id: owner.userId, consumer_generation: null },
    });
    assert.equal(tooMuch, false);
    // A stale consumer generation on one consumer: nothing moves either.
    await rejectsWith(
      client.writeAllocations({
        [migration]: { allocations: {}, project_id: owner.projectId, user_id: owner.userId, consumer_generation: 99 },
        [instance]: { allocations: { [rp]: { resources: { VCPU: 4 } } }, project_id: owner.projectId, user_id: owner.userId, consumer_generation: null },
      }),
      409,
      'concurrent_update',
    );
    assert.deepEqual((await client.getAllocations(migration)).allocations[rp]?.resources, { VCPU: 4, MEMORY_MB: 256 });
    assert.equal((await client.getAllocations(migration)).consumer_generation, moved.consumer_generation);
    assert.deepEqual((await client.getAllocations(instance)).allocations, {});
    assert.deepEqual((await client.usages(rp)).usages, { VCPU: 4, MEMORY_MB: 256, DISK_GB: 0 });

    assert.equal(await client.moveAllocations(migration, instance), true);
    assert.deepEqual((await client.getAllocations(instance)).allocations[rp]?.resources, { VCPU: 4, MEMORY_MB: 256 });
    assert.deepEqual((await client.usages(rp)).usages, { VCPU: 4, MEMORY_MB: 256, DISK_GB: 0 });
  });

  it('rolls a move back when it fails after writing, before commit', async () => {
    const instance = ids.uuid();
    const migration = ids.uuid();
    assert.equal(await claim(instance, { VCPU: 3 }), true);
    const before = await client.getAllocations(instance);
    faults.arm('placement.allocations.write');
    await assert.rejects(client.moveAllocations(instance, migration), InjectedFaultError);
    assert.deepEqual(await client.getAllocations(instance), before);
    assert.deepEqual((await client.getAllocations(migration)).allocations, {});
    assert.equal((await client.usages(rp)).usages['VCPU'], 3);
    await service.refresh();
    assert.equal((await client.usages(rp)).usages['VCPU'], 3, 'the database agrees with the read model');
    assert.equal(await client.moveAllocations(instance, migration), true);

    faults.arm('placement.inventories.write');
    await assert.rejects(client.setInventory(rp, { VCPU: { total: 40 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } }), InjectedFaultError);
    assert.deepEqual((await client.getAllocationCandidates({ resources: { VCPU: 1 }, in_tree: rp })).find((c) => c.provider === rp)?.summary.resources['VCPU'], { capacity: 20, used: 3 });
  });

  it('refuses to delete or shrink inventory below what is allocated', async () => {
    assert.equal(await claim(ids.uuid(), { VCPU: 8, DISK_GB: 10 }), true);
    await rejectsWith(client.setInventory(rp, { VCPU: { total: 20 }, MEMORY_MB: { total: 4096 } }), 409, 'inventory.inuse');
    await rejectsWith(client.setInventory(rp, { VCPU: { total: 7 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } }), 409, 'inventory.inuse');
    await rejectsWith(client.setInventory(rp, { VCPU: { total: 10, reserved: 4 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } }), 409, 'inventory.inuse');
    const exact = await client.setInventory(rp, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } });
    assert.equal(exact.inventories['VCPU']?.total, 8);
    await rejectsWith(client.deleteProvider(rp), 409, 'resource_provider.inuse');
  });

  it('answers candidates from the read model with filters and up-to-date usage', async () => {
    const agg = ids.uuid();
    await client.setAggregates(rp, [agg]);
    await client.setTraits(rp, ['HW_CPU_X86_AVX2', 'CUSTOM_FAST_DISK']);
    assert.equal(await claim(ids.uuid(), { VCPU: 5 }), true);
    const query = { resources: { VCPU: 2, MEMORY_MB: 128 }, member_of: [[agg]], required: ['CUSTOM_FAST_DISK'] };
    const found = await client.getAllocationCandidates(query);
    assert.deepEqual(found.map((c) => c.allocation_request), [{ allocations: { [rp]: { resources: { VCPU: 2, MEMORY_MB: 128 } } } }]);
    assert.deepEqual(found.find((c) => c.provider === rp)?.summary, {
      resources: { VCPU: { capacity: 20, used: 5 }, MEMORY_MB: { capacity: 3584, used: 0 }, DISK_GB: { capacity: 100, used: 0 } },
      traits: ['CUSTOM_FAST_DISK', 'HW_CPU_X86_AVX2'],
      parent_provider_uuid: null,
      root_provider_uuid: rp,
    });
    assert.equal((await client.getAllocationCandidates({ ...query, forbidden: ['HW_CPU_X86_AVX2'] })).length, 0);
    assert.equal((await client.getAllocationCandidates({ ...query, in_tree: ids.uuid() })).length, 0);
    assert.equal((await client.getAllocationCandidates({ ...query, in_tree: rp })).length, 1);
    assert.equal((await client.getAllocationCandidates({ resources: { VCPU: 16 }, member_of: [[agg]] })).length, 0);
    assert.equal((await client.getAllocationCandidates({ resources: { VCPU: 1 }, limit: 1 })).length, 1);
    await rejectsWith(client.setTraits(rp, ['NOT_A_STANDARD_TRAIT']), 400, 'undefined_code');
  });

  it('hands out the same candidate while its provider is unchanged, and a new one after a claim', async () => {
    const query = { resources: { VCPU: 2, MEMORY_MB: 128 } };
    const first = (await client.getAllocationCandidates(query)).find((c) => c.provider === rp);
    assert.ok(first !== undefined);
    assert.equal((await client.getAllocationCandidates(query)).find((c) => c.provider === rp), first);
    const other = (await client.getAllocationCandidates({ resources: { VCPU: 1 } })).find((c) => c.provider === rp);
    assert.deepEqual(other?.allocation_request, { allocations: { [rp]: { resources: { VCPU: 1 } } } });
    assert.equal((await client.getAllocationCandidates(query)).find((c) => c.provider === rp), first, 'other amounts asked in between');
    assert.equal(await claim(ids.uuid(), { VCPU: 4 }), true);
    const after = (await client.getAllocationCandidates(query)).find((c) => c.provider === rp);
    assert.notEqual(after, first);
    assert.deepEqual(after?.summary.resources['VCPU'], { capacity: 20, used: 4 });
    assert.deepEqual(after?.allocation_request, first.allocation_request);
  });
});
