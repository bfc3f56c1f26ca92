import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HypervisorItem } from '../../compute-api/hypervisors/list-hypervisors.js';
import type { ComputeNode } from '../../db/cell/compute-node-repo.js';
import type { ServiceRecord } from '../../db/cell/service-repo.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { hypervisorLinks, hypervisorUptimeView, hypervisorView } from './hypervisor-view.js';

const mv = (v: string) => parseVersion(v) as Microversion;

const node: ComputeNode = {
  id: 3, uuid: '5e3f9a86-1b1e-4b0a-9f4e-2c6a0f1d7e21', service_id: 4, host: 'c1', hypervisor_hostname: 'c1', hypervisor_type: 'fake',
  hypervisor_version: 1000, host_ip: '192.0.2.10', vcpus: 16, memory_mb: 32768, local_gb: 500, vcpus_used: 2, memory_mb_used: 4608,
  local_gb_used: 40, running_vms: 2, cpu_allocation_ratio: 16, ram_allocation_ratio: 1.5, disk_allocation_ratio: 1,
  reserved_host_memory_mb: 512, reserved_host_disk_mb: 0, reserved_host_cpus: 0, created_at: '', updated_at: null, deleted_at: null,
};
const service: ServiceRecord = {
  id: 4, uuid: '0c2f7f0e-3d1a-4c5b-8e6f-7a8b9c0d1e2f', host: 'c1', binary: 'nova-compute', topic: 'compute', report_count: 1,
  disabled: true, disabled_reason: 'maintenance', forced_down: false, last_seen_up: null, created_at: '', updated_at: null,
};
const item: HypervisorItem = {
  entry: { node, service, cell: { id: 2, uuid: 'c', name: 'cell1', transport_url: '', database_connection: '', disabled: false }, legacyId: 2_000_000_003, up: true },
  workload: 1,
  servers: [],
  uptime: ' 10:00:00 up  1:00,  0 users,  load average: 0.00, 0.00, 0.00',
};

describe('hypervisorView', () => {
  it('summarises with the legacy id below 2.53 and the uuid from 2.53', () => {
    assert.deepEqual(hypervisorView(mv('2.1'), item, { detail: false, withServers: false }), { id: 2_000_000_003, hypervisor_hostname: 'c1', state: 'up', status: 'disabled' });
    assert.equal(hypervisorView(mv('2.53'), item, { detail: false, withServers: false })['id'], node.uuid);
  });

  it('details usage below 2.88, with free figures derived from the node', () => {
    const body = hypervisorView(mv('2.1'), item, { detail: true, withServers: false });
    assert.deepEqual(body, {
      id: 2_000_000_003, hypervisor_hostname: 'c1', state: 'up', status: 'disabled', hypervisor_type: 'fake', hypervisor_version: 1000,
      host_ip: '192.0.2.10', service: { id: 4, host: 'c1', disabled_reason: 'maintenance' }, vcpus: 16, memory_mb: 32768, local_gb: 500,
      vcpus_used: 2, memory_mb_used: 4608, local_gb_used: 40, free_ram_mb: 28160, free_disk_gb: 460, current_workload: 1, running_vms: 2,
      disk_available_least: 460, cpu_info: '{}',
    });
    assert.deepEqual(hypervisorView(mv('2.28'), item, { detail: true, withServers: false })['cpu_info'], {});
    const at253 = hypervisorView(mv('2.53'), item, { detail: true, withServers: false });
    assert.deepEqual(at253['service'], { id: service.uuid, host: 'c1', disabled_reason: 'maintenance' });
  });

  it('shows uptime instead of usage from 2.88', () => {
    const body = hypervisorView(mv('2.88'), item, { detail: true, withServers: false });
    assert.deepEqual(Object.keys(body), ['id', 'hypervisor_hostname', 'state', 'status', 'hypervisor_type', 'hypervisor_version', 'host_ip', 'service', 'uptime']);
    assert.equal(hypervisorUptimeView(mv('2.1'), item)['uptime'], item.uptime);
  });

  it('lists servers when there are some, and an empty list from 2.75 when asked for', () => {
    const withOne = { ...item, servers: [{ name: 's', uuid: 'u' }] };
    assert.deepEqual(hypervisorView(mv('2.53'), withOne, { detail: false, withServers: true })['servers'], [{ name: 's', uuid: 'u' }]);
    assert.equal('servers' in hypervisorView(mv('2.74'), item, { detail: false, withServers: true }), false);
    assert.deepEqual(hypervisorView(mv('2.75'), item, { detail: false, withServers: true })['servers'], []);
    assert.equal('servers' in hypervisorView(mv('2.75'), item, { detail: false, withServers: false }), false);
  });

  it('links to the next page only when the page is full', () => {
    const shown = [{ id: 'a' }, { id: 'b' }];
    assert.deepEqual(hypervisorLinks('http://h/compute/v2.1/os-hypervisors', shown, 2, { limit: '2', marker: 'z', b: 'x' }), [
      { rel: 'next', href: 'http://h/compute/v2.1/os-hypervisors?b=x&limit=2&marker=b' },
    ]);
    assert.equal(hypervisorLinks('u', shown, 3, {}), undefined);
    assert.equal(hypervisorLinks('u', shown, undefined, {}), undefined);
    assert.equal(hypervisorLinks('u', [], 0, {}), undefined);
  });
});
