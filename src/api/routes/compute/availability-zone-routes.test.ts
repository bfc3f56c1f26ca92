import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedServices, startHarness, type Harness } from './compute-route-harness.test.js';

describe('availability zone routes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await seedServices(h);
  });
  after(async () => h.close());

  it('lists zones with at least one enabled, up compute as available, the others not, and hides internal', async () => {
    const res = await h.call('GET', '/compute/v2.1/os-availability-zone', { token: 'member' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      availabilityZoneInfo: [
        { zoneName: 'az1', zoneState: { available: true }, hosts: null },
        { zoneName: 'nova', zoneState: { available: true }, hosts: null },
        { zoneName: 'az-empty', zoneState: { available: false }, hosts: null },
        { zoneName: 'az2', zoneState: { available: false }, hosts: null },
      ],
    });
  });

  it('shows hosts and services in the detailed list, internal zone included', async () => {
    const res = await h.call('GET', '/compute/v2.1/os-availability-zone/detail');
    assert.equal(res.status, 200);
    const zones = res.body.availabilityZoneInfo as { zoneName: string; zoneState: { available: boolean }; hosts: unknown }[];
    assert.deepEqual(zones.map((z) => [z.zoneName, z.zoneState.available]), [
      ['az1', true],
      ['internal', true],
      ['nova', true],
      ['az-empty', false],
      ['az2', false],
    ]);
    assert.deepEqual(zones[0]?.hosts, {
      'cell1-compute1': { 'nova-compute': { available: true, active: true, updated_at: '2026-11-24T10:02:00.000000' } },
    });
    assert.deepEqual(zones[1]?.hosts, {
      controller: { 'nova-conductor': { available: true, active: true, updated_at: '2026-11-24T10:02:00.000000' } },
    });
    assert.equal(zones[4]?.hosts, null);
  });

  it('keeps the detailed list to admins', async () => {
    assert.equal((await h.call('GET', '/compute/v2.1/os-availability-zone/detail', { token: 'member' })).status, 403);
  });

  it('marks a zone unavailable once its only compute is disabled', async () => {
    const res = await h.call('PUT', '/compute/v2.1/os-services/disable', { body: { host: 'cell1-compute1', binary: 'nova-compute' } });
    assert.equal(res.status, 200);
    const zones = (await h.call('GET', '/compute/v2.1/os-availability-zone')).body.availabilityZoneInfo as { zoneName: string; zoneState: { available: boolean } }[];
    assert.deepEqual(zones.find((z) => z.zoneName === 'az1')?.zoneState, { available: false });
  });
});
