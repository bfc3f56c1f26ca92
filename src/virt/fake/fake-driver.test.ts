import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError, TesseraError } from '../../common/errors.js';
import { silentLogger } from '../../common/logger.js';
import { PowerState } from '../../objects/power-state.js';
import type { GuestSpec } from '../guest-spec.js';
import { FAKE_DISK_IMAGE_BYTES } from './fake-disk-image.js';
import { FakeDriver, type FakeDriverDeps } from './fake-driver.js';

const HOST = 'cell1-compute1';

async function makeDriver(overrides: Partial<FakeDriverDeps> = {}): Promise<FakeDriver> {
  const driver = new FakeDriver({
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 200,
    hypervisor_type: 'fake',
    hypervisor_version: 1000,
    host_ip: '192.0.2.10',
    logger: silentLogger(),
    ...overrides,
  });
  await driver.init(HOST);
  return driver;
}

function guest(uuid: string, overrides: Partial<GuestSpec> = {}): GuestSpec {
  return {
    uuid,
    name: `instance-${uuid.slice(0, 8)}`,
    flavor: { vcpus: 2, memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, swap: 0 },
    imageRef: 'image-1',
    powerOn: true,
    ...overrides,
  };
}

async function powerState(driver: FakeDriver, uuid: string): Promise<number> {
  return (await driver.getInfo(uuid)).power_state;
}

function hasCode(code: string) {
  return (err: unknown): boolean => err instanceof TesseraError && err.code === code;
}

describe('FakeDriver spawn with devices', () => {
  const conn = { driver_volume_type: 'fake', data: {} };

  it('boots from the volume at the root device, with its other volumes and ports, and no local root disk', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a', {
      imageRef: null,
      volumes: [{ volumeId: 'vol-root', mountpoint: '/dev/vda', connectionInfo: conn }, { volumeId: 'vol-data', mountpoint: '/dev/vdb', connectionInfo: conn }],
      interfaces: [{ portId: 'p1', macAddress: 'fa:16:3e:00:00:01', networkId: 'n1' }],
    }));
    const [g] = driver.listGuests();
    assert.deepEqual(g?.volumes, [{ mountpoint: '/dev/vda', volumeId: 'vol-root' }, { mountpoint: '/dev/vdb', volumeId: 'vol-data' }]);
    assert.deepEqual(g?.interfaces, [{ portId: 'p1', macAddress: 'fa:16:3e:00:00:01', networkId: 'n1' }]);
    assert.equal((await driver.getAvailableResource(HOST)).local_gb_used, 0, 'the root disk is the volume');
    // Its disks are the ones a later detach finds.
    await driver.detachVolume('a', '/dev/vdb');
    await driver.detachInterface('a', 'p1');
    assert.deepEqual(driver.listGuests()[0]?.volumes.map((v) => v.volumeId), ['vol-root']);
  });

  it('refuses a guest with neither an image nor a volume at its root device, and two disks at one device', async () => {
    const driver = await makeDriver();
    await assert.rejects(driver.spawn(guest('a', { imageRef: null })), hasCode('virt.no_root_disk'));
    await assert.rejects(driver.spawn(guest('b', { imageRef: null, volumes: [{ volumeId: 'v', mountpoint: '/dev/vdb', connectionInfo: conn }] })), hasCode('virt.no_root_disk'));
    await assert.rejects(driver.spawn(guest('c', { imageRef: null, rootDevice: '/dev/vdb', volumes: [{ volumeId: 'v', mountpoint: '/dev/vdb', connectionInfo: conn }, { volumeId: 'w', mountpoint: '/dev/vdb', connectionInfo: conn }] })), hasCode('virt.device_in_use'));
    await assert.rejects(driver.spawn(guest('d', { volumes: [{ volumeId: 'v', mountpoint: '/dev/vda', connectionInfo: conn }] })), hasCode('virt.device_in_use'), 'an image-backed root is at /dev/vda');
    assert.deepEqual(await driver.listInstanceUuids(), []);
    await driver.spawn(guest('e', { imageRef: null, rootDevice: '/dev/vdb', volumes: [{ volumeId: 'v', mountpoint: '/dev/vdb', connectionInfo: conn }] }));
    assert.deepEqual(await driver.listInstanceUuids(), ['e']);
  });
});

describe('FakeDriver lifecycle', () => {
  it('spawns running or stopped as asked', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.spawn(guest('b', { powerOn: false }));
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
    assert.equal(await powerState(driver, 'b'), PowerState.SHUTDOWN);
    assert.deepEqual((await driver.listInstanceUuids()).sort(), ['a', 'b']);
  });

  it('powers off and on, idempotently', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.powerOff('a');
    await driver.powerOff('a');
    assert.equal(await powerState(driver, 'a'), PowerState.SHUTDOWN);
    await driver.powerOn('a');
    await driver.powerOn('a');
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
  });

  it('reboots: a running guest stays running, a hard reboot starts a stopped one', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.reboot('a', 'SOFT');
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
    await driver.powerOff('a');
    await driver.reboot('a', 'HARD');
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
  });

  it('rejects an unknown reboot type', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await assert.rejects(driver.reboot('a', 'WARM' as 'SOFT'), hasCode('virt.invalid_reboot_type'));
  });

  it('raises virt.instance_not_found for a missing guest', async () => {
    const driver = await makeDriver();
    const calls = [
      () => driver.powerOff('nope'),
      () => driver.powerOn('nope'),
      () => driver.reboot('nope', 'HARD'),
      () => driver.getInfo('nope'),
      () => driver.snapshot('nope', 'img'),
    ];
    for (const call of calls) {
      await assert.rejects(call(), (err) => err instanceof NotFoundError && err.code === 'virt.instance_not_found');
    }
  });

  it('refuses a duplicate spawn and keeps the first guest', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a', { powerOn: false }));
    await assert.rejects(
      driver.spawn(guest('a')),
      (err) => err instanceof ConflictError && err.code === 'virt.instance_exists',
    );
    assert.equal(await powerState(driver, 'a'), PowerState.SHUTDOWN);
    assert.equal(driver.listGuests().length, 1);
  });

  it('lets only one of two concurrent spawns of one uuid win', async () => {
    const driver = await makeDriver({ delayMs: 5 });
    const results = await Promise.allSettled([driver.spawn(guest('a')), driver.spawn(guest('a'))]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.deepEqual(await driver.listInstanceUuids(), ['a']);
  });

  it('destroys idempotently', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.destroy('a');
    await driver.destroy('a');
    await driver.destroy('never-existed');
    assert.deepEqual(await driver.listInstanceUuids(), []);
    await assert.rejects(driver.getInfo('a'), NotFoundError);
  });

  it('snapshots the root disk of an image-backed guest as a qcow2 stating the disk size', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    const bytes = async (uuid: string, imageId: string) => {
      const snap = await driver.snapshot(uuid, imageId);
      assert.equal(snap.diskFormat, 'qcow2');
      assert.equal(snap.containerFormat, 'bare');
      const chunks: Uint8Array[] = [];
      for await (const chunk of snap.data) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    const data = await bytes('a', 'snap-1');
    assert.equal(data.length, FAKE_DISK_IMAGE_BYTES);
    assert.equal(data.toString('latin1', 0, 4), 'QFI\xfb');
    assert.equal(data.readBigUInt64BE(24), 20n * 1024n ** 3n);
    assert.match(data.toString('utf8', 512, 1024), /"instance_uuid":"a","image_id":"snap-1","source_image":"image-1"/);
    assert.deepEqual(await bytes('a', 'snap-1'), data, 'the same snapshot gives the same bytes');
    assert.notDeepEqual(await bytes('a', 'snap-2'), data);
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
    await driver.powerOff('a');
    assert.equal((await bytes('a', 'snap-3')).length, FAKE_DISK_IMAGE_BYTES, 'a stopped guest can be snapshotted');
  });

  it('refuses to snapshot a guest whose root disk is a volume', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('v', { imageRef: null, volumes: [{ volumeId: 'root', mountpoint: '/dev/vda', connectionInfo: { driver_volume_type: 'fake', data: {} } }] }));
    await assert.rejects(driver.snapshot('v', 'snap'), hasCode('virt.no_local_root_disk'));
  });

  it('attaches and detaches volumes by mountpoint, to running and stopped guests', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.spawn(guest('s', { powerOn: false }));
    const connectionInfo = { driver_volume_type: 'fake', data: { volume_id: 'v1' } };
    await driver.attachVolume('a', { volumeId: 'v1', mountpoint: '/dev/vdb', connectionInfo });
    await driver.attachVolume('a', { volumeId: 'v2', mountpoint: '/dev/vdc', connectionInfo });
    await driver.attachVolume('s', { volumeId: 'v3', mountpoint: '/dev/vdb', connectionInfo });
    await assert.rejects(driver.attachVolume('a', { volumeId: 'v4', mountpoint: '/dev/vdb', connectionInfo }), hasCode('virt.device_in_use'));
    const volumesOf = (uuid: string) => driver.listGuests().find((g) => g.uuid === uuid)?.volumes;
    assert.deepEqual(volumesOf('a'), [{ mountpoint: '/dev/vdb', volumeId: 'v1' }, { mountpoint: '/dev/vdc', volumeId: 'v2' }]);
    await driver.detachVolume('a', '/dev/vdb');
    assert.deepEqual(volumesOf('a'), [{ mountpoint: '/dev/vdc', volumeId: 'v2' }]);
    await assert.rejects(driver.detachVolume('a', '/dev/vdb'), hasCode('virt.disk_not_found'));
    await assert.rejects(driver.attachVolume('gone', { volumeId: 'v5', mountpoint: '/dev/vdb', connectionInfo }), hasCode('virt.instance_not_found'));
    assert.equal(await powerState(driver, 's'), PowerState.SHUTDOWN, 'attaching does not start a stopped guest');
  });

  it('plugs and unplugs interfaces by port, refusing a port twice', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    const vif = { portId: 'p1', macAddress: 'fa:16:3e:00:00:01', networkId: 'n1' };
    await driver.attachInterface('a', vif);
    await assert.rejects(driver.attachInterface('a', vif), hasCode('virt.interface_exists'));
    assert.deepEqual(driver.listGuests()[0]?.interfaces, [vif]);
    await driver.detachInterface('a', 'p1');
    assert.deepEqual(driver.listGuests()[0]?.interfaces, []);
    await assert.rejects(driver.detachInterface('a', 'p1'), hasCode('virt.interface_not_found'));
  });

  it('does not refuse guests beyond physical capacity (overcommit is placement business)', async () => {
    const driver = await makeDriver({ vcpus: 1, memory_mb: 512, local_gb: 1 });
    await driver.spawn(guest('a'));
    await driver.spawn(guest('b'));
    const res = await driver.getAvailableResource(HOST);
    assert.equal(res.vcpus_used, 4);
    assert.ok(res.memory_mb_used > res.memory_mb);
  });
});

describe('FakeDriver resources', () => {
  it('reports one node named after the host', async () => {
    const driver = await makeDriver();
    assert.deepEqual(await driver.getNodeNames(), [HOST]);
    await assert.rejects(driver.getAvailableResource('other-node'), hasCode('virt.node_not_found'));
  });

  it('reports capacity and sums usage over its guests', async () => {
    const driver = await makeDriver();
    const empty = await driver.getAvailableResource(HOST);
    assert.deepEqual(empty, {
      hypervisor_hostname: HOST,
      hypervisor_type: 'fake',
      hypervisor_version: 1000,
      host_ip: '192.0.2.10',
      vcpus: 8,
      memory_mb: 16384,
      local_gb: 200,
      vcpus_used: 0,
      memory_mb_used: 0,
      local_gb_used: 0,
    });

    await driver.spawn(guest('a'));
    // Stopped guests still hold their resources, as in Nova.
    await driver.spawn(
      guest('b', {
        powerOn: false,
        flavor: { vcpus: 1, memory_mb: 512, root_gb: 10, ephemeral_gb: 5, swap: 1536 },
      }),
    );
    // Volume-backed: the root disk is not local.
    await driver.spawn(
      guest('c', {
        imageRef: null,
        flavor: { vcpus: 4, memory_mb: 4096, root_gb: 40, ephemeral_gb: 0, swap: 0 },
        volumes: [{ volumeId: 'root', mountpoint: '/dev/vda', connectionInfo: { driver_volume_type: 'fake', data: {} } }],
      }),
    );
    const used = await driver.getAvailableResource(HOST);
    assert.equal(used.vcpus_used, 2 + 1 + 4);
    assert.equal(used.memory_mb_used, 2048 + 512 + 4096);
    assert.equal(used.local_gb_used, 20 + (10 + 5 + 2) + 0);

    await driver.destroy('a');
    const after = await driver.getAvailableResource(HOST);
    assert.equal(after.vcpus_used, 5);
    assert.equal(after.memory_mb_used, 4608);
    assert.equal(after.local_gb_used, 17);
  });

  it('does not share the caller flavor object', async () => {
    const driver = await makeDriver();
    const spec = guest('a');
    await driver.spawn(spec);
    spec.flavor.vcpus = 64;
    assert.equal((await driver.getAvailableResource(HOST)).vcpus_used, 2);
  });
});

describe('FakeDriver set-up and clean-up', () => {
  it('refuses use before init', async () => {
    const driver = new FakeDriver({
      vcpus: 1,
      memory_mb: 1,
      local_gb: 1,
      hypervisor_type: 'fake',
      hypervisor_version: 1,
      host_ip: '127.0.0.1',
      logger: silentLogger(),
    });
    await assert.rejects(driver.spawn(guest('a')), hasCode('virt.not_initialized'));
    await assert.rejects(driver.getNodeNames(), hasCode('virt.not_initialized'));
  });

  it('refuses to switch hosts', async () => {
    const driver = await makeDriver();
    await driver.init(HOST);
    await assert.rejects(driver.init('other-host'), hasCode('virt.host_mismatch'));
  });

  it('fails in-flight operations on cleanup, keeps guests, and works again after init', async () => {
    const driver = await makeDriver({ delayMs: 10_000 });
    const pending = driver.spawn(guest('a'));
    await driver.cleanup();
    await assert.rejects(pending, hasCode('virt.driver_stopped'));
    await assert.rejects(driver.listInstanceUuids(), hasCode('virt.driver_stopped'));
    await driver.init(HOST);
    assert.deepEqual(await driver.listInstanceUuids(), []);
  });

  it('keeps guests across cleanup and init (a compute restart)', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('a'));
    await driver.cleanup();
    await driver.init(HOST);
    assert.equal(await powerState(driver, 'a'), PowerState.RUNNING);
  });
});

describe('FakeDriver moves', () => {
  it('sets a guest aside, builds it anew on the same host with another flavor, and drops the old disks on confirm', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('m1'));
    await driver.migrateDiskAndPowerOff('m1');
    assert.deepEqual(await driver.listInstanceUuids(), []);
    assert.deepEqual(driver.listSetAside(), ['m1']);
    await driver.finishMigration(guest('m1', { flavor: { vcpus: 4, memory_mb: 4096, root_gb: 40, ephemeral_gb: 0, swap: 0 }, powerOn: false }));
    assert.equal(await powerState(driver, 'm1'), PowerState.SHUTDOWN);
    assert.equal(driver.listGuests()[0]?.flavor.vcpus, 4);
    await driver.confirmMigration('m1');
    assert.deepEqual(driver.listSetAside(), []);
    await driver.confirmMigration('m1');
  });

  it('reverts by destroying the new guest and bringing the old one back with its old flavor', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('m2'));
    await driver.migrateDiskAndPowerOff('m2');
    await driver.finishMigration(guest('m2', { flavor: { vcpus: 4, memory_mb: 4096, root_gb: 40, ephemeral_gb: 0, swap: 0 } }));
    await assert.rejects(driver.finishRevertMigration('m2', true), hasCode('virt.instance_exists'));
    await driver.destroy('m2');
    await driver.finishRevertMigration('m2', true);
    assert.equal(await powerState(driver, 'm2'), PowerState.RUNNING);
    assert.equal(driver.listGuests()[0]?.flavor.vcpus, 2);
    assert.deepEqual(driver.listSetAside(), []);
  });

  it('a revert of a guest that never left only sets its power state; no guest at all is not found', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('m3'));
    await driver.finishRevertMigration('m3', false);
    assert.equal(await powerState(driver, 'm3'), PowerState.SHUTDOWN);
    await assert.rejects(driver.finishRevertMigration('nope', true), NotFoundError);
    await assert.rejects(driver.migrateDiskAndPowerOff('nope'), NotFoundError);
  });

  it('finishing a migration onto a host where the guest is defined is a conflict', async () => {
    const driver = await makeDriver();
    await driver.spawn(guest('m4'));
    await assert.rejects(driver.finishMigration(guest('m4')), ConflictError);
  });
});
