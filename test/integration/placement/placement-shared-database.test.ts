import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTempDatabase, postgresSkipReason } from '../../fixtures/postgres.js';
import { ManualClock } from '../../../src/common/clock.js';
import { RandomIdGenerator } from '../../../src/common/ids.js';
import { silentLogger } from '../../../src/common/logger.js';
import { parseConfigText } from '../../../src/config/index.js';
import { PolicyEngine, allRuleDefaults } from '../../../src/policy/index.js';
import { PlacementService, placementRuleDefaults } from '../../../src/placement/index.js';

const ids = new RandomIdGenerator();

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('timed out');
}
const owner = { projectId: 'p', userId: 'u' };

interface Target {
  name: string;
  skip: string | false;
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite-file',
    skip: false,
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'tessera-placement-'));
      return { url: `sqlite:///${join(dir, 'placement.sqlite')}`, drop: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  { name: 'postgres', skip: await postgresSkipReason(), create: () => createTempDatabase('placement') },
];

/**
 * Two placement services on one database stand for two processes: each has its own read model,
 * and only the database's transactions keep them honest.
 */
for (const target of targets) {
  describe(`placement shared by two services [${target.name}]`, { skip: target.skip }, () => {
    let scratch: { url: string; drop(): Promise<void> } | undefined;
    let one: PlacementService;
    let two: PlacementService;

    before(async () => {
      scratch = await target.create();
      const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
      const deps = { config: parseConfigText('', 'test'), clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: scratch.url };
      one = await PlacementService.create(deps);
      two = await PlacementService.create(deps);
    });
    after(async () => {
      await one?.close();
      await two?.close();
      await scratch?.drop();
    });

    it('never lets the two exceed capacity when their claims race', async () => {
      const rp = ids.uuid();
      await one.client().ensureProvider({ uuid: rp, name: `shared-${rp}` });
      await one.client().setInventory(rp, { VCPU: { total: 20 } });
      await two.refresh();
      const claims = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? one : two).client().claim(ids.uuid(), { [rp]: { resources: { VCPU: 1 } } }, { ...owner, consumerGeneration: null }));
      const results = await Promise.all(claims);
      assert.equal(results.filter(Boolean).length, 20);
      for (const service of [one, two]) {
        await service.refresh();
        assert.equal((await service.client().usages(rp)).usages['VCPU'], 20);
      }
    });

    it('refreshes a stale read model when a claim or an inventory write hits what another service did', async () => {
      const rp = ids.uuid();
      await one.client().ensureProvider({ uuid: rp, name: `stale-${rp}` });
      await one.client().setInventory(rp, { VCPU: { total: 4 } });
      // The second service learns of the provider from the database on first use.
      assert.equal((await two.client().getProvider(rp))?.generation, 1);
      assert.equal(await one.client().claim(ids.uuid(), { [rp]: { resources: { VCPU: 3 } } }, { ...owner, consumerGeneration: null }), true);

      // Service two still believes all 4 VCPUs are free; the database says otherwise.
      const believed = await two.client().getAllocationCandidates({ resources: { VCPU: 2 }, in_tree: rp });
      assert.equal(believed.length, 1);
      assert.equal(await two.client().claim(ids.uuid(), { [rp]: { resources: { VCPU: 2 } } }, { ...owner, consumerGeneration: null }), false);
      assert.equal((await two.client().usages(rp)).usages['VCPU'], 3, 'the failed claim reloaded the provider');
      assert.equal((await two.client().getAllocationCandidates({ resources: { VCPU: 2 }, in_tree: rp })).length, 0);

      // An inventory write without a generation succeeds although this service held a stale view.
      await one.client().setInventory(rp, { VCPU: { total: 8 } });
      const written = await two.client().setInventory(rp, { VCPU: { total: 6 } });
      assert.equal(written.inventories['VCPU']?.total, 6);
      await one.refresh();
      assert.equal((await one.client().getProvider(rp))?.generation, written.generation);
    });

    it('rewrites an unchanged inventory only when the database differs from the model (drift made by another service)', async () => {
      const rp = ids.uuid();
      await one.client().ensureProvider({ uuid: rp, name: `drift-${rp}` });
      const first = await one.client().setInventory(rp, { VCPU: { total: 4 } });
      const again = await one.client().setInventory(rp, { VCPU: { total: 4 } });
      assert.equal(again.generation, first.generation, 'nothing written when nothing changed');
      // Another service changes the inventory; this one's model still holds the old one.
      await two.client().setInventory(rp, { VCPU: { total: 2 } });
      const corrected = await one.client().setInventory(rp, { VCPU: { total: 4 } });
      assert.equal(corrected.inventories['VCPU']?.total, 4);
      assert.ok(corrected.generation > first.generation + 1, 'the drift was written over');
      await two.refresh();
      assert.equal((await two.client().getAllocationCandidates({ resources: { VCPU: 4 }, in_tree: rp })).length, 1);
    });

    it('follows the other service\'s commits: new providers, inventories and usage show without a reload', async () => {
      // As the cloud's thread and the scheduler thread do: each applies what the other committed.
      const stops = [one.followCommits((c) => void two.applyPeerCommits(c)), two.followCommits((c) => void one.applyPeerCommits(c))];
      try {
        const rp = ids.uuid();
        await one.client().ensureProvider({ uuid: rp, name: `followed-${rp}` });
        await one.client().setInventory(rp, { VCPU: { total: 4 } });
        const candidates = async (service: PlacementService, vcpus: number) => (await service.client().getAllocationCandidates({ resources: { VCPU: vcpus }, in_tree: rp })).length;
        await waitUntil(async () => (await candidates(two, 4)) === 1);
        assert.equal(await two.client().claim(ids.uuid(), { [rp]: { resources: { VCPU: 3 } } }, { ...owner, consumerGeneration: null }), true);
        // One's model learns the claim from the notice alone: no claim of its own failed.
        await waitUntil(async () => (await candidates(one, 2)) === 0);
        assert.equal(await candidates(one, 1), 1);
        await one.client().setInventory(rp, { VCPU: { total: 8 } });
        await waitUntil(async () => (await candidates(two, 5)) === 1);
        // Deleted in one (once its allocation is gone), the provider leaves two's candidates too.
        const lone = ids.uuid();
        await two.client().ensureProvider({ uuid: lone, name: `followed-lone-${lone}` });
        await two.client().setInventory(lone, { VCPU: { total: 1 } });
        await waitUntil(async () => (await one.client().getAllocationCandidates({ resources: { VCPU: 1 }, in_tree: lone })).length === 1);
        await one.client().deleteProvider(lone);
        await waitUntil(async () => (await two.client().getAllocationCandidates({ resources: { VCPU: 1 }, in_tree: lone })).length === 0);
      } finally {
        for (const stop of stops) stop();
      }
    });
  });
}
