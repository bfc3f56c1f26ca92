/**
 * Quotas, limits and key pairs with the real `openstack` CLI (Debian's python3-openstackclient:
 * novaclient for limits, quotas and servers, openstacksdk for key pairs) against the cloud started
 * as the README says: `limits show --absolute` (compute and volume limits), `quota show` (compute,
 * volume and network quota sets), `quota set --instances` on a project named by id or by name,
 * `keypair create/list/show/delete`, and `server create --key-name`, also past the quota.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICIPIut9Xb+CfGajzX9XHRyHPPV1H8aGwdkzDaFxe14L me@host';

/** `limits show --absolute` as a name → value map. */
async function absoluteLimits(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const rows = await osJson<{ Name: string; Value: number }[]>(env, 'limits', 'show', '--absolute');
  return Object.fromEntries(rows.map((r) => [r.Name, r.Value]));
}

describe('quotas, limits and key pairs with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-quota-', PORT);
  let memberProject = '';

  it('limits show --absolute lists the compute limits with their usage, and the volume limits', async () => {
    const limits = await absoluteLimits(cli.member);
    assert.equal(limits['maxTotalInstances'], 10);
    assert.equal(limits['maxTotalCores'], 20);
    assert.equal(limits['maxTotalRAMSize'], 51200);
    assert.equal(limits['maxTotalKeypairs'], 100);
    assert.equal(limits['maxServerMeta'], 128);
    assert.equal(limits['maxServerGroups'], 10);
    assert.equal(limits['maxServerGroupMembers'], 10);
    assert.equal(limits['totalInstancesUsed'], 0);
    assert.equal(limits['totalCoresUsed'], 0);
    assert.equal(limits['totalRAMUsed'], 0);
    // From the volume service's /limits, which the CLI calls too.
    assert.equal(limits['maxTotalVolumes'], 10);
  });

  it('quota show prints the compute, volume and network quotas of the caller\'s project', async () => {
    const quota = await osJson(cli.member, 'quota', 'show');
    memberProject = quota.project as string;
    assert.match(memberProject, /^[0-9a-f]{32}$/);
    assert.equal(quota.project_name, 'demo');
    assert.equal(quota.instances, 10);
    assert.equal(quota.cores, 20);
    assert.equal(quota.ram, 51200);
    assert.equal(quota['key-pairs'], 100);
    assert.equal(quota.properties, 128);
    assert.equal(quota['server-groups'], 10);
    assert.equal(quota.volumes, 10);
    assert.equal(quota.gigabytes, 1000);
    assert.equal(quota.networks, -1);
    assert.equal(quota.ports, -1);
    const defaults = await osJson(cli.member, 'quota', 'show', '--default');
    assert.equal(defaults.instances, 10);
  });

  it('quota set --instances changes a project\'s limit for an cli.admin (by id or name), not for a member', async () => {
    await os(cli.admin, 'quota', 'set', '--instances', '5', memberProject);
    assert.equal((await osJson(cli.member, 'quota', 'show')).instances, 5);
    await os(cli.admin, 'quota', 'set', '--instances', '3', '--cores', '6', 'demo');
    const shown = await osJson(cli.admin, 'quota', 'show', 'demo');
    assert.equal(shown.instances, 3);
    assert.equal(shown.cores, 6);
    assert.equal((await absoluteLimits(cli.member))['maxTotalInstances'], 3);
    assert.match(await osFails(cli.member, 'quota', 'set', '--instances', '50', memberProject), /Policy doesn't allow os_compute_api:os-quota-sets:update to be performed\. \(HTTP 403\)/);
    assert.equal((await osJson(cli.member, 'quota', 'show')).instances, 3);
  });

  it('keypair create k1 prints the private key once; keypair list and show', async () => {
    const privateKey = await os(cli.member, 'keypair', 'create', 'k1');
    assert.match(privateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const listed = await osJson<{ Name: string; Fingerprint: string; Type: string }[]>(cli.member, 'keypair', 'list');
    assert.deepEqual(listed.map((k) => [k.Name, k.Type]), [['k1', 'ssh']]);
    assert.match(listed[0]?.Fingerprint ?? '', /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const shown = await osJson(cli.member, 'keypair', 'show', 'k1');
    assert.equal(shown.name, 'k1');
    assert.equal(shown.fingerprint, listed[0]?.Fingerprint);
    const publicKey = await os(cli.member, 'keypair', 'show', '--public-key', 'k1');
    assert.match(publicKey, /^ssh-rsa AAAA/);
    // The cli.admin has key pairs of its own.
    assert.deepEqual(await osJson(cli.admin, 'keypair', 'list'), []);
  });

  it('keypair create --public-key imports a key with the fingerprint ssh-keygen shows', async () => {
    const file = join(cli.dataDir, 'id_ed25519.pub');
    writeFileSync(file, `${ED25519}\n`);
    const k = await osJson(cli.member, 'keypair', 'create', '--public-key', file, 'laptop');
    assert.equal(k.fingerprint, '7c:87:f3:4d:37:41:c5:d9:87:0f:0c:bc:5e:f1:a3:00');
    assert.equal((await os(cli.member, 'keypair', 'show', '--public-key', 'laptop')).trim(), readFileSync(file, 'utf8').trim());
    writeFileSync(file, 'ssh-ed25519 garbage\n');
    assert.match(await osFails(cli.member, 'keypair', 'create', '--public-key', file, 'broken'), /Keypair data is invalid/);
  });

  it('server create --key-name k1 boots with the key pair, counted in limits; past the quota it is refused', async () => {
    const server = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--key-name', 'k1', '--wait', 'vm-key');
    assert.equal(server.status, 'ACTIVE');
    assert.equal(server.key_name, 'k1');
    assert.equal((await osJson(cli.member, 'server', 'show', 'vm-key')).key_name, 'k1');
    assert.match(
      await osFails(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--key-name', 'nope', 'vm-nokey'),
      /Invalid key_name provided\. \(HTTP 400\)/,
    );
    const limits = await absoluteLimits(cli.member);
    assert.equal(limits['totalInstancesUsed'], 1);
    assert.equal(limits['totalCoresUsed'], 1);
    assert.equal(limits['totalRAMUsed'], 512);
    assert.match(
      await osFails(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--min', '3', '--max', '3', 'many'),
      /Quota exceeded for instances: Requested 3, but already used 1 of 3 instances \(HTTP 403\)/,
    );
    assert.deepEqual((await osJson<{ Name: string }[]>(cli.member, 'server', 'list')).map((s) => s.Name), ['vm-key']);
  });

  it('keypair delete removes it; the server keeps its key_name', async () => {
    await os(cli.member, 'keypair', 'delete', 'k1');
    assert.deepEqual((await osJson<{ Name: string }[]>(cli.member, 'keypair', 'list')).map((k) => k.Name), ['laptop']);
    assert.match(await osFails(cli.member, 'keypair', 'show', 'k1'), /k1/);
    assert.equal((await osJson(cli.member, 'server', 'show', 'vm-key')).key_name, 'k1');
  });
});
