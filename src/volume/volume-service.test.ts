import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../api/app.js';
import { ManualClock } from '../common/clock.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { ALICE, FakeImages } from './volume-harness.test.js';
import { volumeRuleDefaults } from './volume-policy-rules.js';
import { VolumeService } from './volume-service.js';

describe('VolumeService', () => {
  let dir: string;
  let policy: PolicyEngine;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-volume-'));
    policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...volumeRuleDefaults] });
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const start = (config: string, faults?: FaultInjector) =>
    VolumeService.create({
      config: parseConfigText(config, 'test'),
      clock: new ManualClock(),
      ids: new RandomIdGenerator(),
      logger: silentLogger(),
      policy,
      images: new FakeImages(),
      ...(faults === undefined ? {} : { faults }),
    });

  it('keeps its own database at [cinder] connection, across restarts', async () => {
    const config = `[cinder]\nconnection = sqlite:///${join(dir, 'volume.sqlite')}\n`;
    const first = await start(config);
    const created = await first.create(ALICE, { size: 2, name: 'kept' });
    await first.close();
    const second = await start(config);
    try {
      const again = await second.get(ALICE, created.id);
      assert.deepEqual([again.name, again.size, again.status], ['kept', 2, 'available']);
    } finally {
      await second.close();
    }
  });

  it('applies [cinder] options: the zone and the quotas', async () => {
    const service = await start('[cinder]\nconnection = sqlite://\nstorage_availability_zone = az-b\nquota_volumes = 1\n');
    try {
      const v = await service.create(ALICE, { size: 1 });
      assert.equal(v.availabilityZone, 'az-b');
      await assert.rejects(service.create(ALICE, { size: 1 }), (err: unknown) => (err as { status?: number }).status === 413);
      const app = await buildApp({ logger: silentLogger(), ids: new RandomIdGenerator(), authenticator: { authenticate: () => Promise.resolve({ ...ALICE }) }, modules: [service.module()] });
      try {
        const res = await app.inject({ method: 'GET', url: `/volume/v3/volumes/${v.id}`, headers: { 'x-auth-token': 't' } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json<{ volume: { availability_zone: string } }>().volume.availability_zone, 'az-b');
        const limits = await app.inject({ method: 'GET', url: '/volume/v3/limits', headers: { 'x-auth-token': 't' } });
        assert.equal(limits.json<{ limits: { absolute: Record<string, number> } }>().limits.absolute['maxTotalVolumes'], 1);
      } finally {
        await app.close();
      }
    } finally {
      await service.close();
    }
  });

  it('passes its fault injector to the client and the backend', async () => {
    const faults = new FaultInjector();
    const service = await start('[cinder]\nconnection = sqlite://\n', faults);
    try {
      faults.arm('volume.create');
      await assert.rejects(service.create(ALICE, { size: 1 }), /Injected failure in volume\.create/);
      faults.arm('volume.backend.create_volume');
      await assert.rejects(service.create(ALICE, { size: 1 }), (err: unknown) => (err as { code?: string }).code === 'volume.create_failed');
    } finally {
      await service.close();
    }
  });
});
