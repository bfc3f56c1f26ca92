import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE, startVolumeHarness, type VolumeHarness } from './volume-harness.test.js';

describe('volume quota sets (read only)', () => {
  let h: VolumeHarness;

  before(async () => {
    h = await startVolumeHarness({ limits: { volumes: 4, gigabytes: 50 } });
    await h.volumes.create(ALICE, { size: 3, name: 'v' });
  });
  after(async () => h.close());

  it('shows a project\'s limits, with usage when asked, at both URL forms', async () => {
    const plain = await h.call('GET', '/volume/v3/os-quota-sets/p-a?usage=False');
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(plain.body, { quota_set: { id: 'p-a', volumes: 4, gigabytes: 50, snapshots: 10, backups: 10, backup_gigabytes: 1000, per_volume_gigabytes: -1 } });
    const used = await h.call('GET', '/volume/v3/p-a/os-quota-sets/p-a?usage=True');
    assert.equal(used.status, 200, JSON.stringify(used.body));
    assert.deepEqual(used.body.quota_set.volumes, { limit: 4, in_use: 1, reserved: 0 });
    assert.deepEqual(used.body.quota_set.gigabytes, { limit: 50, in_use: 3, reserved: 0 });
    assert.deepEqual(used.body.quota_set.snapshots, { limit: 10, in_use: 0, reserved: 0 });
    const defaults = await h.call('GET', '/volume/v3/os-quota-sets/p-a/defaults');
    assert.equal(defaults.body.quota_set.volumes, 4);
  });

  it('lets readers see their own project\'s only; an admin sees any', async () => {
    assert.equal((await h.call('GET', '/volume/v3/os-quota-sets/p-a', { who: 'reader' })).status, 200);
    assert.equal((await h.call('GET', '/volume/v3/os-quota-sets/p-a', { who: 'bob' })).status, 403);
    assert.equal((await h.call('GET', '/volume/v3/os-quota-sets/p-a/defaults', { who: 'bob' })).status, 403);
    const admin = await h.call('GET', '/volume/v3/os-quota-sets/p-a?usage=true', { who: 'admin' });
    assert.equal(admin.status, 200);
    assert.equal(admin.body.quota_set.volumes.in_use, 1);
  });
});
