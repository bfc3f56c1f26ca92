import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { Flavor } from '../../objects/flavor.js';
import type { Instance, InstanceFault } from '../../objects/instance.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { apiTime, hostId, serverDetail, serverLinks, serverSummary, type ServerViewContext } from './server-view.js';

const ROOT = 'http://127.0.0.1:8774/compute';
const UUID = '6f5b7d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

function mv(text: string): Microversion {
  const v = parseVersion(text);
  assert.ok(v);
  return v;
}

function view(version: string, over: Partial<ServerViewContext> = {}): ServerViewContext {
  return {
    mv: mv(version), computeRoot: ROOT, version: 'v2.1', showExtended: false, showHostStatus: false,
    hostStatus: () => 'UP', isAdmin: false, showExtraSpecs: false, ...over,
  };
}

const admin = (version: string, over: Partial<ServerViewContext> = {}): ServerViewContext =>
  view(version, { showExtended: true, showHostStatus: true, isAdmin: true, showExtraSpecs: true, ...over });

const flavor: Flavor = {
  id: 7, flavorid: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 5, swap: 512, rxtx_factor: 1, vcpu_weight: null,
  disabled: false, is_public: true, description: null, extra_specs: { 'hw:cpu_policy': 'shared' }, created_at: '2026-01-01T00:00:00.000Z', updated_at: null,
};

function instance(over: Partial<Instance> = {}): Instance {
  return {
    id: 42, uuid: UUID, display_name: 'vm1', display_description: 'my server', hostname: 'vm1', project_id: 'proj-1', user_id: 'user-1',
    image_ref: 'img-1', flavor, old_flavor: null, new_flavor: null, vm_state: 'active', task_state: null, power_state: 1,
    host: 'cell1-compute1', node: 'cell1-compute1.node', availability_zone: 'nova', reservation_id: 'r-abc', launch_index: 0,
    key_name: null, config_drive: '', access_ip_v4: null, access_ip_v6: null, metadata: { k: 'v' }, system_metadata: {},
    user_data: null, locked: false, locked_by: null, progress: 0, hidden: false,
    launched_at: '2026-11-24T10:00:05.123Z', terminated_at: null,
    created_at: '2026-11-24T10:00:00.456Z', updated_at: '2026-11-24T10:00:07.789Z', deleted_at: null, deleted: false, ...over,
  };
}

const fault = (code: number, details: string | null = 'Traceback (most recent call last): ...'): InstanceFault => ({
  instance_uuid: UUID, code, message: 'No valid host was found.', details, host: null, created_at: '2026-11-24T10:00:09.999Z',
});

describe('serverDetail', () => {
  const bdm = (over: Partial<BlockDeviceMapping>): BlockDeviceMapping => ({
    uuid: 'b', instance_uuid: UUID, source_type: 'volume', destination_type: 'volume', boot_index: null, device_name: null, device_type: null,
    disk_bus: null, guest_format: null, delete_on_termination: false, image_id: null, snapshot_id: null, volume_id: null, volume_size: null,
    volume_type: null, attachment_id: null, connection_info: null, no_device: false, tag: null, created_at: '2026-11-24T10:00:00.000Z', updated_at: null, ...over,
  });
  const devices = {
    networkInfo: [
      { port_id: 'p1', network_id: 'n1', network_name: 'private', mac_address: 'fa:16:3e:00:00:01', fixed_ips: [{ ip_address: '10.0.0.5', version: 4 as const }] },
      { port_id: 'p2', network_id: 'n2', network_name: 'other', mac_address: 'fa:16:3e:00:00:02', fixed_ips: [{ ip_address: '10.1.0.7', version: 4 as const }, { ip_address: '10.1.0.8', version: 4 as const }] },
      { port_id: 'p3', network_id: 'n1', network_name: 'private', mac_address: 'fa:16:3e:00:00:03', fixed_ips: [{ ip_address: '10.0.0.9', version: 4 as const }] },
    ],
    bdms: [
      bdm({ source_type: 'image', destination_type: 'local', image_id: 'img-1', boot_index: 0, delete_on_termination: true }),
      bdm({ volume_id: 'vol-root', boot_index: 0, delete_on_termination: true }),
      bdm({ volume_id: 'vol-data' }),
      bdm({ source_type: 'image', image_id: 'img-1', volume_size: 1 }),
    ],
  };

  it('shows addresses per network name, in port order, with type and MAC', () => {
    const body = serverDetail(view('2.1'), instance(), undefined, [], devices);
    assert.deepEqual(body['addresses'], {
      private: [
        { version: 4, addr: '10.0.0.5', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' },
        { version: 4, addr: '10.0.0.9', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:03' },
      ],
      other: [
        { version: 4, addr: '10.1.0.7', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:02' },
        { version: 4, addr: '10.1.0.8', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:02' },
      ],
    });
    assert.deepEqual(serverDetail(view('2.1'), instance(), undefined)['addresses'], {}, 'no ports, no addresses');
  });

  it('lists the mapped volumes (not the image root, nor a volume not made yet); delete_on_termination from 2.3', () => {
    assert.deepEqual(serverDetail(view('2.1'), instance(), undefined, [], devices)['os-extended-volumes:volumes_attached'], [{ id: 'vol-root' }, { id: 'vol-data' }]);
    assert.deepEqual(serverDetail(view('2.3'), instance(), undefined, [], devices)['os-extended-volumes:volumes_attached'], [
      { id: 'vol-root', delete_on_termination: true },
      { id: 'vol-data', delete_on_termination: false },
    ]);
  });

  it('at 2.1 shows flavor as {id, links} and no later fields', () => {
    const body = serverDetail(view('2.1'), instance(), undefined);
    assert.deepEqual(body['flavor'], { id: '2', links: [{ rel: 'bookmark', href: `${ROOT}/flavors/2` }] });
    for (const key of ['description', 'locked', 'tags', 'host_status', 'trusted_image_certificates', 'locked_reason', 'pinned_availability_zone']) {
      assert.equal(key in body, false, `${key} must not be in 2.1`);
    }
    assert.equal(body['status'], 'ACTIVE');
    assert.equal(body['id'], UUID);
    assert.equal(body['tenant_id'], 'proj-1');
    assert.deepEqual(body['image'], { id: 'img-1', links: [{ rel: 'bookmark', href: `${ROOT}/images/img-1` }] });
    assert.deepEqual(body['links'], serverLinks(view('2.1'), UUID));
  });

  it('shows an empty string for the image of a volume-backed server', () => {
    assert.equal(serverDetail(view('2.1'), instance({ image_ref: '' }), undefined)['image'], '');
  });

  it('adds locked at 2.9 and description at 2.19', () => {
    assert.equal('locked' in serverDetail(view('2.8'), instance(), undefined), false);
    assert.equal(serverDetail(view('2.9'), instance({ locked: true }), undefined)['locked'], true);
    assert.equal('description' in serverDetail(view('2.18'), instance(), undefined), false);
    assert.equal(serverDetail(view('2.19'), instance(), undefined)['description'], 'my server');
    assert.equal(serverDetail(view('2.19'), instance({ display_description: null }), undefined)['description'], null);
  });

  it('embeds the flavor with original_name from 2.47', () => {
    const before = serverDetail(view('2.46'), instance(), undefined)['flavor'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(before).sort(), ['id', 'links']);
    const body = serverDetail(view('2.47'), instance(), undefined);
    assert.deepEqual(body['flavor'], { vcpus: 1, ram: 2048, disk: 20, ephemeral: 5, swap: 512, original_name: 'm1.small' });
  });

  it('embeds extra_specs in the flavor for whoever the extra-specs policy allows', () => {
    const f = serverDetail(admin('2.47'), instance(), undefined)['flavor'] as Record<string, unknown>;
    assert.deepEqual(f['extra_specs'], { 'hw:cpu_policy': 'shared' });
    assert.equal(f['original_name'], 'm1.small');
    const member = serverDetail(view('2.47', { showExtraSpecs: true }), instance(), undefined)['flavor'] as Record<string, unknown>;
    assert.deepEqual(member['extra_specs'], { 'hw:cpu_policy': 'shared' });
    const denied = serverDetail(view('2.47'), instance(), undefined)['flavor'] as Record<string, unknown>;
    assert.equal('extra_specs' in denied, false);
  });

  it('shows OS-EXT-SRV-ATTR fields only to those allowed, the 2.3 ones from 2.3', () => {
    const user = serverDetail(view('2.3'), instance(), undefined);
    assert.equal(Object.keys(user).some((k) => k.startsWith('OS-EXT-SRV-ATTR:')), false);

    const at21 = serverDetail(admin('2.1'), instance(), undefined);
    assert.equal(at21['OS-EXT-SRV-ATTR:host'], 'cell1-compute1');
    assert.equal(at21['OS-EXT-SRV-ATTR:hypervisor_hostname'], 'cell1-compute1.node');
    assert.equal(at21['OS-EXT-SRV-ATTR:instance_name'], 'instance-0000002a');
    assert.equal('OS-EXT-SRV-ATTR:reservation_id' in at21, false);

    const at23 = serverDetail(admin('2.3'), instance({ user_data: 'IyEvYmluL3No' }), undefined);
    assert.equal(at23['OS-EXT-SRV-ATTR:reservation_id'], 'r-abc');
    assert.equal(at23['OS-EXT-SRV-ATTR:launch_index'], 0);
    assert.equal(at23['OS-EXT-SRV-ATTR:hostname'], 'vm1');
    assert.equal(at23['OS-EXT-SRV-ATTR:user_data'], 'IyEvYmluL3No');
    assert.equal(at23['OS-EXT-SRV-ATTR:root_device_name'], null);
  });

  it('shows the hostname to everyone from 2.90', () => {
    assert.equal('OS-EXT-SRV-ATTR:hostname' in serverDetail(view('2.89'), instance(), undefined), false);
    const body = serverDetail(view('2.90'), instance(), undefined);
    assert.equal(body['OS-EXT-SRV-ATTR:hostname'], 'vm1');
    assert.equal('OS-EXT-SRV-ATTR:host' in body, false);
  });

  it('shows host_status from 2.16 to those allowed, empty without a host', () => {
    assert.equal('host_status' in serverDetail(admin('2.15'), instance(), undefined), false);
    assert.equal('host_status' in serverDetail(view('2.16'), instance(), undefined), false);
    const seen: (string | null)[] = [];
    const v = admin('2.16', { hostStatus: (h) => { seen.push(h); return 'DOWN'; } });
    assert.equal(serverDetail(v, instance(), undefined)['host_status'], 'DOWN');
    assert.deepEqual(seen, ['cell1-compute1']);
    assert.equal(serverDetail(v, instance({ host: null }), undefined)['host_status'], '');
  });

  it('shows progress only for ACTIVE and BUILD-like statuses', () => {
    const withProgress: [string, string | null][] = [['active', null], ['building', null], ['active', 'rebuilding'], ['active', 'resize_prep'], ['resized', null], ['active', 'migrating']];
    for (const [vm, task] of withProgress) {
      const body = serverDetail(view('2.1'), instance({ vm_state: vm, task_state: task, progress: 40 }), undefined);
      assert.equal(body['progress'], 40, `${vm}/${String(task)}`);
    }
    const without: [string, string | null][] = [['stopped', null], ['error', null], ['paused', null], ['active', 'rebooting'], ['shelved_offloaded', null], ['resized', 'resize_reverting']];
    for (const [vm, task] of without) {
      assert.equal('progress' in serverDetail(view('2.1'), instance({ vm_state: vm, task_state: task, progress: 40 }), undefined), false, `${vm}/${String(task)}`);
    }
  });

  it('shows a deleted instance as DELETED whatever its vm_state', () => {
    assert.equal(serverDetail(view('2.1'), instance({ deleted: true }), undefined)['status'], 'DELETED');
  });

  describe('fault', () => {
    it('appears only for ERROR and DELETED servers', () => {
      assert.equal('fault' in serverDetail(view('2.1'), instance(), fault(500)), false);
      assert.ok(serverDetail(view('2.1'), instance({ vm_state: 'error' }), fault(500))['fault']);
      assert.ok(serverDetail(view('2.1'), instance({ deleted: true }), fault(500))['fault']);
      assert.equal('fault' in serverDetail(view('2.1'), instance({ vm_state: 'error' }), undefined), false);
    });

    it('hides the details of a 500 from non-admins and shows them to admins', () => {
      const user = serverDetail(view('2.1'), instance({ vm_state: 'error' }), fault(500))['fault'];
      assert.deepEqual(user, { code: 500, created: '2026-11-24T10:00:09Z', message: 'No valid host was found.' });
      const adm = serverDetail(admin('2.1'), instance({ vm_state: 'error' }), fault(500))['fault'] as Record<string, unknown>;
      assert.equal(adm['details'], 'Traceback (most recent call last): ...');
    });

    it('shows the details of other codes to everyone', () => {
      const user = serverDetail(view('2.1'), instance({ vm_state: 'error' }), fault(404, 'not there'))['fault'] as Record<string, unknown>;
      assert.equal(user['details'], 'not there');
    });

    it('leaves details out when there are none', () => {
      const adm = serverDetail(admin('2.1'), instance({ vm_state: 'error' }), fault(500, null))['fault'] as Record<string, unknown>;
      assert.equal('details' in adm, false);
    });
  });

  describe('hostId', () => {
    it('is empty without a host', () => {
      assert.equal(serverDetail(view('2.1'), instance({ host: null }), undefined)['hostId'], '');
      assert.equal(hostId('proj-1', null), '');
      assert.equal(hostId('proj-1', ''), '');
    });

    it('is the 56-hex sha224 of project id + host', () => {
      const id = serverDetail(view('2.1'), instance(), undefined)['hostId'];
      assert.equal(typeof id, 'string');
      assert.match(id as string, /^[0-9a-f]{56}$/);
      assert.equal(id, createHash('sha224').update('proj-1cell1-compute1').digest('hex'));
    });

    it('differs between projects for the same host', () => {
      assert.notEqual(hostId('proj-1', 'h'), hostId('proj-2', 'h'));
      assert.equal(hostId('proj-1', 'h'), hostId('proj-1', 'h'));
    });
  });

  describe('times', () => {
    it('drops milliseconds from created and updated', () => {
      const body = serverDetail(view('2.1'), instance(), undefined);
      assert.equal(body['created'], '2026-11-24T10:00:00Z');
      assert.equal(body['updated'], '2026-11-24T10:00:07Z');
      assert.equal(apiTime('2026-11-24T10:00:00.000Z'), '2026-11-24T10:00:00Z');
      assert.equal(apiTime('2026-11-24T10:00:00Z'), '2026-11-24T10:00:00Z');
    });

    it('uses created for updated when the instance was never updated', () => {
      assert.equal(serverDetail(view('2.1'), instance({ updated_at: null }), undefined)['updated'], '2026-11-24T10:00:00Z');
    });

    it('prints launched_at and terminated_at with six fraction digits and no zone', () => {
      const body = serverDetail(view('2.1'), instance({ terminated_at: '2026-11-25T00:00:00Z' }), undefined);
      assert.equal(body['OS-SRV-USG:launched_at'], '2026-11-24T10:00:05.123000');
      assert.equal(body['OS-SRV-USG:terminated_at'], '2026-11-25T00:00:00.000000');
      assert.equal(serverDetail(view('2.1'), instance({ launched_at: null }), undefined)['OS-SRV-USG:launched_at'], null);
    });
  });
});

describe('serverSummary and serverLinks', () => {
  it('gives id, name and self/bookmark links for the request version', () => {
    assert.deepEqual(serverSummary(view('2.1'), instance()), {
      id: UUID,
      name: 'vm1',
      links: [
        { rel: 'self', href: `${ROOT}/v2.1/servers/${UUID}` },
        { rel: 'bookmark', href: `${ROOT}/servers/${UUID}` },
      ],
    });
    assert.equal(serverLinks(view('2.1', { version: 'v2' }), 'x')[0]?.href, `${ROOT}/v2/servers/x`);
  });
});
