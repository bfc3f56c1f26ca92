/**
 * Scheduling with the real `openstack` CLI (Debian's python3-openstackclient) against the cloud
 * started as the README says: aggregates with a zone, server groups and the `group` hint,
 * hypervisor usage, and disabling a compute service.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';

describe('scheduling with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-sched-', PORT);
  let groupId = '';
  const groupServers: Record<string, any>[] = [];
  /** `server create --wait` at 2.37 (so that `--nic none` is allowed), printing JSON. */
  const createServer = (env: NodeJS.ProcessEnv, name: string, ...options: string[]) =>
    osJson(env, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', ...options, '--wait', name);
  const hostOf = async (id: string): Promise<string> => (await os(cli.admin, 'server', 'show', id, '-c', 'OS-EXT-SRV-ATTR:host', '-f', 'value')).trim();

  it('aggregate create --zone prints the new aggregate with its zone', async () => {
    const agg = await osJson(cli.admin, 'aggregate', 'create', '--zone', 'az-fast', 'fastagg');
    assert.equal(agg.name, 'fastagg');
    assert.equal(agg.availability_zone, 'az-fast');
    assert.equal(typeof agg.id, 'number');
    assert.match(String(agg.uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(agg.is_deleted, false);
    assert.equal(typeof agg.created_at, 'string');
    const listed = await osJson<{ Name: string; 'Availability Zone': string }[]>(cli.admin, 'aggregate', 'list');
    assert.deepEqual(listed.map((a) => [a.Name, a['Availability Zone']]).sort(), [['cell1', 'cell1'], ['cell2', 'cell2'], ['fastagg', 'az-fast']]);
  });

  it('aggregate add host: refused while the host is in another zone, accepted once it left it', async () => {
    const refused = await osFails(cli.admin, 'aggregate', 'add', 'host', 'fastagg', 'cell1-compute2');
    assert.match(refused, /409/);
    const removed = await osJson(cli.admin, 'aggregate', 'remove', 'host', 'cell1', 'cell1-compute2');
    assert.deepEqual(removed.hosts, ['cell1-compute1']);
    const added = await osJson(cli.admin, 'aggregate', 'add', 'host', 'fastagg', 'cell1-compute2');
    assert.deepEqual(added.hosts, ['cell1-compute2']);
    assert.equal(added.availability_zone, 'az-fast');
    assert.deepEqual(added.properties, { availability_zone: 'az-fast' });

    const zones = await osJson<{ 'Zone Name': string; 'Host Name': string }[]>(cli.admin, 'availability', 'zone', 'list', '--compute', '--long');
    assert.ok(zones.some((z) => z['Zone Name'] === 'az-fast' && z['Host Name'] === 'cell1-compute2'), JSON.stringify(zones));
    // A server booted into the new zone lands on its only host.
    const fast = await createServer(cli.member, 'in-fast', '--availability-zone', 'az-fast');
    assert.equal(fast.status, 'ACTIVE');
    assert.equal(fast['OS-EXT-AZ:availability_zone'], 'az-fast');
    assert.equal(await hostOf(String(fast.id)), 'cell1-compute2');
    await os(cli.member, 'server', 'delete', '--wait', 'in-fast');
  });

  it('server group create --policy anti-affinity', async () => {
    const group = await osJson(cli.member, 'server', 'group', 'create', '--policy', 'anti-affinity', 'grp');
    assert.equal(group.name, 'grp');
    assert.equal(group.policy, 'anti-affinity');
    assert.match(String(group.id), /^[0-9a-f-]{36}$/);
    groupId = String(group.id);
  });

  it('server create --hint group=... twice in one zone lands on two hosts; a third has no host left', async () => {
    for (const name of ['grp-1', 'grp-2']) {
      const s = await createServer(cli.member, name, '--availability-zone', 'cell2', '--hint', `group=${groupId}`);
      assert.equal(s.status, 'ACTIVE', `${name}: ${JSON.stringify(s)}`);
      groupServers.push(s);
    }
    const hosts = await Promise.all(groupServers.map((s) => hostOf(String(s.id))));
    assert.deepEqual([...hosts].sort(), ['cell2-compute1', 'cell2-compute2']);
    const shown = await osJson(cli.member, 'server', 'group', 'show', groupId);
    assert.deepEqual(String(shown.members).split(/,\s*/).sort(), groupServers.map((s) => String(s.id)).sort());

    // OSC 6.0 reports a server that went to ERROR by printing this and leaving with status 0.
    const failure = await os(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--availability-zone', 'cell2', '--hint', `group=${groupId}`, '--wait', 'grp-3');
    assert.match(failure, /Error creating server/);
    const third = await osJson(cli.member, 'server', 'show', 'grp-3');
    assert.equal(third.status, 'ERROR');
    assert.match(JSON.stringify(third.fault), /No valid host was found/);
    await os(cli.member, 'server', 'delete', '--wait', 'grp-3');
  });

  it('hypervisor list --long shows the four hypervisors, with the vCPUs the servers use', async () => {
    const rows = await osJson<Record<string, any>[]>(cli.admin, 'hypervisor', 'list', '--long');
    assert.deepEqual(rows.map((r) => r['Hypervisor Hostname']).sort(), ['cell1-compute1', 'cell1-compute2', 'cell2-compute1', 'cell2-compute2']);
    for (const r of rows) {
      const host = r['Hypervisor Hostname'] as string;
      assert.equal(r['vCPUs'], 8, host);
      assert.equal(r['Memory MB'], 16384, host);
      assert.equal(r['State'], 'up');
      // Each cell2 host runs one m1.tiny of the group; the cell1 hosts run nothing.
      const expected = host.startsWith('cell2') ? 1 : 0;
      assert.equal(r['vCPUs Used'], expected, `${host} vCPUs Used`);
      assert.equal(r['Memory MB Used'], 512 + 512 * expected, `${host} Memory MB Used (512 MB reserved)`);
    }
  });

  it('compute service set --disable: the service shows disabled and a boot into its zone avoids it', async () => {
    await os(cli.admin, 'compute', 'service', 'set', '--disable', '--disable-reason', 'maintenance', 'cell2-compute1', 'nova-compute');
    const services = await osJson<Record<string, any>[]>(cli.admin, 'compute', 'service', 'list', '--long');
    const row = services.find((s) => s['Host'] === 'cell2-compute1' && s['Binary'] === 'nova-compute');
    assert.equal(row?.['Status'], 'disabled');
    assert.equal(row?.['Disabled Reason'], 'maintenance');
    assert.equal(row?.['State'], 'up');
    assert.ok(services.filter((s) => s['Host'] !== 'cell2-compute1').every((s) => s['Status'] === 'enabled'));

    for (const name of ['avoid-1', 'avoid-2']) {
      const s = await createServer(cli.member, name, '--availability-zone', 'cell2');
      assert.equal(s.status, 'ACTIVE');
      assert.equal(await hostOf(String(s.id)), 'cell2-compute2', `${name} avoids the disabled host`);
    }

    await os(cli.admin, 'compute', 'service', 'set', '--enable', 'cell2-compute1', 'nova-compute');
    const enabled = await osJson<Record<string, any>[]>(cli.admin, 'compute', 'service', 'list', '--service', 'nova-compute');
    assert.equal(enabled.find((s) => s['Host'] === 'cell2-compute1')?.['Status'], 'enabled');
    // Now the emptier host of the zone takes the next one.
    const back = await createServer(cli.member, 'back', '--availability-zone', 'cell2');
    assert.equal(await hostOf(String(back.id)), 'cell2-compute1');
  });
});
