/**
 * Quotas over HTTP on the whole cloud: GET /limits per microversion, before and after boots and
 * deletes (each server counted once, from the POST to the DELETE, in cell0 too), the quota sets
 * with their policies and Nova's validation, and the boot refusals (instances, cores, ram,
 * metadata, server groups and their members) that leave nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, assertNovaError, C, createServer, imageId, postServer } from './helpers.js';
import { whoIs } from './who-is.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

async function absolute(client: ApiClient, mv?: string, query = ''): Promise<Record<string, number>> {
  const res = await client.withMicroversion(mv).get(`${C}/limits${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.limits.rate, []);
  return res.body.limits.absolute as Record<string, number>;
}

async function used(client: ApiClient): Promise<{ instances: number; cores: number; ram: number }> {
  const a = await absolute(client);
  return { instances: a['totalInstancesUsed'] as number, cores: a['totalCoresUsed'] as number, ram: a['totalRAMUsed'] as number };
}

const LIMITS_21 = [
  'maxImageMeta', 'maxPersonality', 'maxPersonalitySize', 'maxSecurityGroupRules', 'maxSecurityGroups', 'maxServerGroupMembers', 'maxServerGroups',
  'maxServerMeta', 'maxTotalCores', 'maxTotalFloatingIps', 'maxTotalInstances', 'maxTotalKeypairs', 'maxTotalRAMSize', 'totalCoresUsed',
  'totalFloatingIpsUsed', 'totalInstancesUsed', 'totalRAMUsed', 'totalSecurityGroupsUsed', 'totalServerGroupsUsed',
];
const NETWORK_LIMITS = ['maxSecurityGroupRules', 'maxSecurityGroups', 'maxTotalFloatingIps', 'totalFloatingIpsUsed', 'totalSecurityGroupsUsed'];
const QUOTAS_21 = [
  'cores', 'fixed_ips', 'floating_ips', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files', 'instances', 'key_pairs',
  'metadata_items', 'ram', 'security_group_rules', 'security_groups', 'server_group_members', 'server_groups',
];
const QUOTAS_257 = ['cores', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups'];

describe('limits and quota sets', () => {
  let t: TestCloud;
  let image: string;
  let member: { projectId: string; userId: string };
  let admin: { projectId: string; userId: string };

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    member = await whoIs(t.url, 'demo', 'demo-secret');
    admin = await whoIs(t.url, 'admin', 'admin-secret');
  });
  after(async () => {
    await t?.stop();
  });

  it('GET /limits shows Nova\'s defaults and no usage, with the keys of each microversion', async () => {
    const at21 = await absolute(t.member);
    assert.deepEqual(Object.keys(at21).sort(), LIMITS_21);
    assert.deepEqual(
      { ...at21 },
      {
        maxTotalRAMSize: 51200, maxTotalInstances: 10, maxTotalCores: 20, maxTotalKeypairs: 100, maxTotalFloatingIps: -1, maxServerMeta: 128,
        maxImageMeta: 128, maxPersonality: 5, maxPersonalitySize: 10240, maxSecurityGroups: -1, maxSecurityGroupRules: -1, maxServerGroups: 10,
        maxServerGroupMembers: 10, totalRAMUsed: 0, totalCoresUsed: 0, totalInstancesUsed: 0, totalFloatingIpsUsed: 0, totalSecurityGroupsUsed: 0,
        totalServerGroupsUsed: 0,
      },
    );
    assert.deepEqual(Object.keys(await absolute(t.member, '2.36')).sort(), LIMITS_21.filter((k) => !NETWORK_LIMITS.includes(k)));
    assert.deepEqual(Object.keys(await absolute(t.member, '2.39')).sort(), LIMITS_21.filter((k) => !NETWORK_LIMITS.includes(k) && k !== 'maxImageMeta'));
    const at257 = Object.keys(await absolute(t.member, '2.57')).sort();
    assert.deepEqual(at257, LIMITS_21.filter((k) => !NETWORK_LIMITS.includes(k) && !['maxImageMeta', 'maxPersonality', 'maxPersonalitySize'].includes(k)));
    // Unknown parameters: ignored before 2.75, refused from 2.75.
    await absolute(t.member, '2.74', '?foo=1');
    assertNovaError(await t.member.withMicroversion('2.75').get(`${C}/limits?foo=1`), 400, 'badRequest');
  });

  it('counts each server once from its POST to its DELETE, in a cell or in cell0', async () => {
    const a = await createServer(t.member, { name: 'counted-a', imageRef: image });
    const b = await createServer(t.member, { name: 'counted-b', imageRef: image, flavorRef: '2' });
    // Counted at once, while they are build requests or just placed.
    assert.deepEqual(await used(t.member), { instances: 2, cores: 2, ram: 512 + 2048 });
    await waitForStatus(t.member, a, 'ACTIVE');
    await waitForStatus(t.member, b, 'ACTIVE');
    assert.deepEqual(await used(t.member), { instances: 2, cores: 2, ram: 512 + 2048 });

    // A server no host can take goes to cell0 in ERROR, and counts until it is deleted.
    const flavor = await t.admin.post(`${C}/flavors`, { flavor: { name: 'nine-cpus', ram: 256, vcpus: 9, disk: 1 } });
    assert.equal(flavor.status, 200, JSON.stringify(flavor.body));
    const failed = await createServer(t.member, { name: 'counted-failed', imageRef: image, flavorRef: flavor.body.flavor.id });
    await waitForStatus(t.member, failed, 'ERROR');
    assert.deepEqual(await used(t.member), { instances: 3, cores: 11, ram: 512 + 2048 + 256 });

    // Nothing of another project, and the admin's own usage is apart.
    const adminServer = await createServer(t.admin, { name: 'admin-one', imageRef: image });
    assert.deepEqual(await used(t.member), { instances: 3, cores: 11, ram: 2816 });
    assert.deepEqual(await used(t.admin), { instances: 1, cores: 1, ram: 512 });

    for (const id of [b, failed]) assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    assert.deepEqual(await used(t.member), { instances: 1, cores: 1, ram: 512 });
    assert.equal((await t.admin.delete(`${C}/servers/${adminServer}`)).status, 204);
    assert.deepEqual(await used(t.admin), { instances: 0, cores: 0, ram: 0 });
  });

  it('shows another project\'s limits to an administrator only', async () => {
    const theirs = await absolute(t.admin, undefined, `?tenant_id=${member.projectId}`);
    assert.equal(theirs['totalInstancesUsed'], 1);
    assertNovaError(await t.member.get(`${C}/limits?tenant_id=${admin.projectId}`), 403, 'forbidden');
    // Even naming one's own project needs the rule, as in Nova.
    assertNovaError(await t.member.get(`${C}/limits?tenant_id=${member.projectId}`), 403, 'forbidden');
  });

  it('shows a project\'s quota set to its readers, with the keys of each microversion', async () => {
    const res = await t.member.get(`${C}/os-quota-sets/${member.projectId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body.quota_set).sort(), ['id', ...QUOTAS_21].sort());
    assert.equal(res.body.quota_set.id, member.projectId);
    assert.equal(res.body.quota_set.instances, 10);
    assert.equal(res.body.quota_set.injected_file_path_bytes, 255);
    assert.equal(res.body.quota_set.floating_ips, -1);
    const at236 = await t.member.withMicroversion('2.36').get(`${C}/os-quota-sets/${member.projectId}`);
    assert.deepEqual(Object.keys(at236.body.quota_set).sort(), ['id', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files', ...QUOTAS_257].sort());
    const at257 = await t.member.withMicroversion('2.57').get(`${C}/os-quota-sets/${member.projectId}?user_id=${member.userId}`);
    assert.deepEqual(Object.keys(at257.body.quota_set).sort(), ['id', ...QUOTAS_257].sort());
    assertNovaError(await t.member.get(`${C}/os-quota-sets/${admin.projectId}`), 403, 'forbidden');
    assertNovaError(await t.member.withMicroversion('2.75').get(`${C}/os-quota-sets/${member.projectId}?foo=1`), 400, 'badRequest');
  });

  it('shows the defaults to anyone, and the detail with what is in use', async () => {
    const defaults = await t.member.get(`${C}/os-quota-sets/${admin.projectId}/defaults`);
    assert.equal(defaults.status, 200);
    assert.deepEqual(defaults.body.quota_set, {
      id: admin.projectId, cores: 20, fixed_ips: -1, floating_ips: -1, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
      injected_files: 5, instances: 10, key_pairs: 100, metadata_items: 128, ram: 51200, security_group_rules: -1, security_groups: -1,
      server_group_members: 10, server_groups: 10,
    });
    const group = await t.member.post(`${C}/os-server-groups`, { server_group: { name: 'g', policies: ['affinity'] } });
    assert.equal(group.status, 200);
    const detail = await t.member.withMicroversion('2.57').get(`${C}/os-quota-sets/${member.projectId}/detail`);
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    assert.equal(detail.body.quota_set.id, member.projectId);
    assert.deepEqual(detail.body.quota_set.instances, { limit: 10, in_use: 1, reserved: 0 });
    assert.deepEqual(detail.body.quota_set.cores, { limit: 20, in_use: 1, reserved: 0 });
    assert.deepEqual(detail.body.quota_set.ram, { limit: 51200, in_use: 512, reserved: 0 });
    assert.deepEqual(detail.body.quota_set.server_groups, { limit: 10, in_use: 1, reserved: 0 });
    assert.deepEqual(detail.body.quota_set.key_pairs, { limit: 100, in_use: 0, reserved: 0 });
    assertNovaError(await t.member.get(`${C}/os-quota-sets/${admin.projectId}/detail`), 403, 'forbidden');
    assert.equal((await t.member.delete(`${C}/os-server-groups/${group.body.server_group.id}`)).status, 204);
  });

  it('lets only administrators change or reset a quota set', async () => {
    assertNovaError(await t.member.put(`${C}/os-quota-sets/${member.projectId}`, { quota_set: { instances: 50 } }), 403, 'forbidden');
    assertNovaError(await t.member.delete(`${C}/os-quota-sets/${member.projectId}`), 403, 'forbidden');
    assert.equal((await absolute(t.member))['maxTotalInstances'], 10);
  });

  it('updates limits (numbers or their spelling, -1 unlimited) and answers with the whole set without id', async () => {
    const res = await t.admin.put(`${C}/os-quota-sets/${member.projectId}`, { quota_set: { instances: 5, cores: '-1', key_pairs: 0 } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal('id' in res.body.quota_set, false);
    assert.deepEqual(Object.keys(res.body.quota_set).sort(), QUOTAS_21);
    assert.equal(res.body.quota_set.instances, 5);
    assert.equal(res.body.quota_set.cores, -1);
    assert.equal(res.body.quota_set.key_pairs, 0);
    assert.equal(res.body.quota_set.ram, 51200);
    const limits = await absolute(t.member);
    assert.equal(limits['maxTotalInstances'], 5);
    assert.equal(limits['maxTotalCores'], -1);
    // Another project is untouched.
    assert.equal((await absolute(t.admin))['maxTotalInstances'], 10);
  });

  it('refuses a limit below what is in use unless forced, and bad values, changing nothing', async () => {
    const put = (body: unknown, mv?: string, query = '') => t.admin.withMicroversion(mv).put(`${C}/os-quota-sets/${member.projectId}${query}`, body);
    const message = assertNovaError(await put({ quota_set: { instances: 0, ram: 100 } }), 400, 'badRequest');
    assert.equal(message, 'Quota limit 0 for instances must be greater than or equal to already used and reserved 1.');
    for (const body of [
      { quota_set: { instances: -2 } },
      { quota_set: { instances: '-2' } },
      { quota_set: { instances: 'many' } },
      { quota_set: { instances: 2147483648 } },
      { quota_set: { instances: 1.5 } },
      { quota_set: { widgets: 1 } },
      { quota_set: { instances: 1, force: 'maybe' } },
      { quotas: { instances: 1 } },
    ]) {
      assertNovaError(await put(body), 400, 'badRequest');
    }
    // The network ones are accepted below 2.36 only, the injected files below 2.57 only.
    assert.equal((await put({ quota_set: { floating_ips: 10 } })).status, 200);
    assertNovaError(await put({ quota_set: { floating_ips: 10 } }, '2.36'), 400, 'badRequest');
    assert.equal((await put({ quota_set: { injected_files: 3 } }, '2.56')).status, 200);
    assertNovaError(await put({ quota_set: { injected_files: 3 } }, '2.57'), 400, 'badRequest');
    // Per-user quotas do not exist here.
    assertNovaError(await put({ quota_set: { instances: 3 } }, undefined, `?user_id=${member.userId}`), 400, 'badRequest');
    const limits = await absolute(t.member);
    assert.equal(limits['maxTotalInstances'], 5);
    assert.equal(limits['maxTotalRAMSize'], 51200);

    const forced = await put({ quota_set: { instances: 0, force: 'True' } });
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assert.equal(forced.body.quota_set.instances, 0);
    assert.equal((await put({ quota_set: { instances: -1 } })).status, 200);
  });

  it('resets a project to the defaults with DELETE (202)', async () => {
    const res = await t.admin.delete(`${C}/os-quota-sets/${member.projectId}`);
    assert.equal(res.status, 202);
    assert.equal(res.body, undefined);
    const show = await t.member.get(`${C}/os-quota-sets/${member.projectId}`);
    assert.equal(show.body.quota_set.instances, 10);
    assert.equal(show.body.quota_set.floating_ips, -1);
    assert.equal(show.body.quota_set.key_pairs, 100);
  });
});

describe('quotas at boot', () => {
  let t: TestCloud;
  let image: string;
  let member: { projectId: string; userId: string };

  const setQuota = async (values: Record<string, number>): Promise<void> => {
    const res = await t.admin.put(`${C}/os-quota-sets/${member.projectId}`, { quota_set: { ...values, force: true } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const names = async (): Promise<string[]> => ((await t.member.get(`${C}/servers`)).body.servers as { name: string }[]).map((s) => s.name).sort();

  /** Asserts a 403 with this message and that no server appeared anywhere. */
  const refused = async (request: () => Promise<any>, message: string): Promise<void> => {
    const before = (await allServerIds(t.admin)).sort();
    const usage = await used(t.member);
    assert.equal(assertNovaError(await request(), 403, 'forbidden'), message);
    assert.deepEqual((await allServerIds(t.admin)).sort(), before, 'no server was created');
    assert.deepEqual(await used(t.member), usage, 'the usage did not change');
  };

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    member = await whoIs(t.url, 'demo', 'demo-secret');
  });
  after(async () => {
    await t?.stop();
  });

  it('refuses a boot past the instances quota, and builds as many as fit between min_count and max_count', async () => {
    await setQuota({ instances: 3 });
    const two = await postServer(t.member, { name: 'pair', imageRef: image, extra: { min_count: 2, max_count: 2 } });
    assert.equal(two.status, 202, JSON.stringify(two.body));
    await refused(() => postServer(t.member, { name: 'more', imageRef: image, extra: { min_count: 2, max_count: 2 } }), 'Quota exceeded for instances: Requested 2, but already used 2 of 3 instances');
    await refused(() => postServer(t.member, { name: 'more', imageRef: image, extra: { min_count: 2, max_count: 5 } }), 'Quota exceeded for instances: Requested 2-5, but already used 2 of 3 instances');
    // min_count 1, max_count 4: one fits, so one is built (named as asked, being alone).
    const some = await postServer(t.member, { name: 'some', imageRef: image, extra: { min_count: 1, max_count: 4 } });
    assert.equal(some.status, 202, JSON.stringify(some.body));
    assert.deepEqual(await names(), ['pair-1', 'pair-2', 'some']);
    assert.deepEqual(await used(t.member), { instances: 3, cores: 3, ram: 1536 });
    await refused(() => postServer(t.member, { name: 'one-more', imageRef: image }), 'Quota exceeded for instances: Requested 1, but already used 3 of 3 instances');
    await waitForStatus(t.member, some.body.server.id as string, 'ACTIVE');
  });

  it('refuses a boot past the cores or ram quota with the totals in the message', async () => {
    await setQuota({ instances: -1, cores: 10 });
    await refused(
      () => postServer(t.member, { name: 'big', imageRef: image, flavorRef: '5', extra: { min_count: 2, max_count: 2 } }),
      'Quota exceeded for cores: Requested 16, but already used 3 of 10 cores',
    );
    await setQuota({ cores: -1, ram: 2048 });
    await refused(() => postServer(t.member, { name: 'roomy', imageRef: image, flavorRef: '2' }), 'Quota exceeded for ram: Requested 2048, but already used 1536 of 2048 ram');
    // Room for half a medium server: none is built, even with min_count 1.
    await setQuota({ cores: 4, ram: 51200 });
    await refused(
      () => postServer(t.member, { name: 'medium', imageRef: image, flavorRef: '3', extra: { min_count: 1, max_count: 2 } }),
      'Quota exceeded for cores: Requested 4, but already used 3 of 4 cores',
    );
  });

  it('refuses more metadata items than the quota allows', async () => {
    await setQuota({ instances: -1, cores: -1, metadata_items: 2 });
    await refused(
      () => postServer(t.member, { name: 'tagged', imageRef: image, extra: { metadata: { a: '1', b: '2', c: '3' } } }),
      'Maximum number of metadata items exceeds 2',
    );
    const ok = await postServer(t.member, { name: 'tagged', imageRef: image, extra: { metadata: { a: '1', b: '2' } } });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
  });

  it('refuses a server group past the quota, and servers past the group\'s members quota', async () => {
    await setQuota({ server_groups: 1, server_group_members: 2 });
    const group = await t.member.post(`${C}/os-server-groups`, { server_group: { name: 'g1', policies: ['anti-affinity'] } });
    assert.equal(group.status, 200, JSON.stringify(group.body));
    const second = await t.member.post(`${C}/os-server-groups`, { server_group: { name: 'g2', policies: ['affinity'] } });
    assert.equal(assertNovaError(second, 403, 'forbidden'), 'Quota exceeded, too many server groups.');
    assert.equal(((await t.member.get(`${C}/os-server-groups`)).body.server_groups as unknown[]).length, 1);

    const hints = { 'os:scheduler_hints': { group: group.body.server_group.id } };
    const boot = (name: string, count: number) =>
      t.member.withMicroversion('2.37').post(`${C}/servers`, { server: { name, imageRef: image, flavorRef: '1', networks: 'none', min_count: count, max_count: count }, ...hints });
    await refused(() => boot('grouped', 3), 'Quota exceeded, too many servers in group');
    assert.equal((await boot('grouped', 2)).status, 202);
    await refused(() => boot('grouped-more', 1), 'Quota exceeded, too many servers in group');
    const members = (await t.member.get(`${C}/os-server-groups/${group.body.server_group.id}`)).body.server_group.members as string[];
    assert.equal(members.length, 2);
  });
});
