/**
 * The real `openstack` CLI (Debian's python3-openstackclient) against the cloud started as the
 * README says, with the openrc file it writes. Checks what each command prints, then that Ctrl-C
 * stops the cloud cleanly and that a restart keeps the data.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureOpenstackClient, freePort, interrupt, isRunning, openrcEnv, os, osJson, startCloud, type CliCloud } from '../fixtures/openstack-cli.js';

const PORT = await freePort();

async function waitForField(env: NodeJS.ProcessEnv, server: string, field: string, want: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await os(env, 'server', 'show', server, '-c', field, '-f', 'value')).trim();
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`${server} ${field} stayed ${last}, wanted ${want}`);
}

describe('the openstack CLI against a cloud started as the README says', { timeout: 600_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  let cloud: CliCloud;
  let admin: NodeJS.ProcessEnv;
  let member: NodeJS.ProcessEnv;

  before(async () => {
    await ensureOpenstackClient();
    cloud = await startCloud(dataDir, PORT);
    admin = openrcEnv(join(dataDir, 'openrc'));
    member = openrcEnv(join(dataDir, 'openrc-member'));
  });

  after(async () => {
    if (isRunning(cloud)) await interrupt(cloud);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the endpoint and credentials, and writes openrc files', () => {
    assert.match(cloud.output(), new RegExp(`Tessera is up at http://127\\.0\\.0\\.1:${PORT}`));
    assert.match(cloud.output(), /admin\s+user admin \/ password \S+ \/ project admin/);
    assert.equal(admin['OS_AUTH_URL'], `http://127.0.0.1:${PORT}/identity/v3`);
    for (const key of ['OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME', 'OS_IDENTITY_API_VERSION']) {
      assert.ok(admin[key], `openrc sets ${key}`);
      assert.ok(member[key], `member openrc sets ${key}`);
    }
    assert.equal(member['OS_USERNAME'], 'demo');
  });

  it('flavor list and image list', async () => {
    const flavors = await osJson<{ Name: string; RAM: number; VCPUs: number; 'Is Public': boolean }[]>(admin, 'flavor', 'list');
    const tiny = flavors.find((f) => f.Name === 'm1.tiny');
    assert.deepEqual({ ram: tiny?.RAM, vcpus: tiny?.VCPUs, public: tiny?.['Is Public'] }, { ram: 512, vcpus: 1, public: true });
    const images = await osJson<{ Name: string; Status: string }[]>(member, 'image', 'list');
    assert.deepEqual(images.map((i) => [i.Name, i.Status]), [['cirros-0.6.2-x86_64-disk', 'active']]);
  });

  it('server create --wait in cell2, then list --long and show', async () => {
    const created = await osJson(member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros-0.6.2-x86_64-disk', '--nic', 'none', '--availability-zone', 'cell2', '--wait', 'vm1');
    assert.equal(created.status, 'ACTIVE');
    assert.equal(created.name, 'vm1');
    assert.equal(created['OS-EXT-AZ:availability_zone'], 'cell2');
    const list = await osJson<Record<string, unknown>[]>(admin, 'server', 'list', '--long', '--all-projects');
    const row = list.find((s) => s['Name'] === 'vm1');
    assert.ok(row, 'vm1 listed');
    assert.equal(row['Status'], 'ACTIVE');
    assert.equal(row['Power State'], 1, 'machine formats print the raw power state: 1 is running');
    assert.equal(row['Availability Zone'], 'cell2');
    assert.match(String(row['Host']), /^cell2-compute[12]$/);
    assert.equal(row['Image Name'], 'cirros-0.6.2-x86_64-disk');
    assert.equal(row['Flavor Name'], 'm1.tiny');
    // Names resolve within the caller's project (as in Nova), so the owner shows it by name and the
    // admin by id; only the admin sees the host.
    assert.equal((await osJson(member, 'server', 'show', 'vm1')).status, 'ACTIVE');
    const shown = await osJson(admin, 'server', 'show', String(created.id));
    assert.equal(shown.status, 'ACTIVE');
    assert.equal(shown['OS-EXT-STS:power_state'], 1);
    assert.equal(shown.flavor, 'm1.tiny (1)');
    assert.match(String(shown.image), /^cirros-0\.6\.2-x86_64-disk \(/);
    assert.match(String(shown['OS-EXT-SRV-ATTR:host']), /^cell2-compute[12]$/);
  });

  it('server stop, start and reboot --hard', async () => {
    await os(member, 'server', 'stop', 'vm1');
    await waitForField(member, 'vm1', 'status', 'SHUTOFF');
    assert.equal((await os(member, 'server', 'show', 'vm1', '-c', 'OS-EXT-STS:power_state', '-f', 'value')).trim(), '4');
    // The table format names the state, as a person reads it.
    assert.match(await os(member, 'server', 'show', 'vm1', '-c', 'OS-EXT-STS:power_state'), /\| OS-EXT-STS:power_state \| Shutdown\s+\|/);
    await os(member, 'server', 'start', 'vm1');
    await waitForField(member, 'vm1', 'status', 'ACTIVE');
    await os(member, 'server', 'reboot', '--hard', 'vm1');
    await waitForField(member, 'vm1', 'OS-EXT-STS:task_state', 'None');
    await waitForField(member, 'vm1', 'status', 'ACTIVE');
    assert.equal((await os(member, 'server', 'show', 'vm1', '-c', 'OS-EXT-STS:power_state', '-f', 'value')).trim(), '1');
  });

  it('compute service list and availability zone list --compute', async () => {
    const services = await osJson<{ Binary: string; Host: string; Zone: string; Status: string; State: string }[]>(admin, 'compute', 'service', 'list');
    const computes = services.filter((s) => s.Binary === 'nova-compute');
    assert.deepEqual(computes.map((s) => [s.Host, s.Zone, s.Status, s.State]).sort(), [
      ['cell1-compute1', 'cell1', 'enabled', 'up'],
      ['cell1-compute2', 'cell1', 'enabled', 'up'],
      ['cell2-compute1', 'cell2', 'enabled', 'up'],
      ['cell2-compute2', 'cell2', 'enabled', 'up'],
    ]);
    assert.deepEqual(services.filter((s) => s.Binary !== 'nova-compute').map((s) => [s.Binary, s.Zone]).sort(), [['nova-conductor', 'internal'], ['nova-scheduler', 'internal']]);
    const zones = await osJson<{ 'Zone Name': string; 'Zone Status': string }[]>(admin, 'availability', 'zone', 'list', '--compute');
    const names = zones.map((z) => z['Zone Name']);
    assert.ok(names.includes('cell1') && names.includes('cell2'), `zones: ${names.join(', ')}`);
    assert.ok(zones.filter((z) => z['Zone Name'].startsWith('cell')).every((z) => z['Zone Status'] === 'available'));
  });

  it('server delete --wait removes it', async () => {
    await os(member, 'server', 'delete', '--wait', 'vm1');
    const list = await osJson<{ Name: string }[]>(member, 'server', 'list');
    assert.equal(list.filter((s) => s.Name === 'vm1').length, 0);
  });

  it('Ctrl-C stops the cloud cleanly and a restart keeps the data', async () => {
    await osJson(member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.nano', '--image', 'cirros-0.6.2-x86_64-disk', '--nic', 'none', '--availability-zone', 'cell1', '--wait', 'keeper');
    const code = await interrupt(cloud);
    assert.ok(code === 0 || code === 'SIGINT', `exit ${String(code)}: ${cloud.output()}`);
    assert.match(cloud.output(), /Stopping \(SIGINT\)\.\.\.\nStopped\./);
    assert.doesNotMatch(cloud.output(), /tessera: |Error/);
    cloud = await startCloud(dataDir, PORT);
    const again = openrcEnv(join(dataDir, 'openrc-member'));
    assert.equal(again['OS_PASSWORD'], member['OS_PASSWORD'], 'the generated password survives a restart');
    const shown = await osJson(again, 'server', 'show', 'keeper');
    assert.equal(shown.status, 'ACTIVE');
    assert.equal(shown['OS-EXT-AZ:availability_zone'], 'cell1');
  });
});
