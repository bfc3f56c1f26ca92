import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InjectedFaultError } from '../../common/errors.js';
import { FaultInjector } from '../../common/fault-injector.js';
import { silentLogger } from '../../common/logger.js';
import type { GuestSpec } from '../guest-spec.js';
import { FAKE_DRIVER_OPERATIONS, FakeDriver, type FakeDriverOperation } from './fake-driver.js';

async function makeDriver(host: string, faults: FaultInjector): Promise<FakeDriver> {
  const driver = new FakeDriver({
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 200,
    hypervisor_type: 'fake',
    hypervisor_version: 1000,
    host_ip: '192.0.2.10',
    logger: silentLogger(),
    faults,
  });
  await driver.init(host);
  return driver;
}

function guest(uuid: string, powerOn = true): GuestSpec {
  return {
    uuid,
    name: `instance-${uuid}`,
    flavor: { vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0 },
    imageRef: 'image-1',
    powerOn,
  };
}

// Each call would change the guest list or a power state if it were not failed.
const CALLS: Record<FakeDriverOperation, (d: FakeDriver) => Promise<unknown>> = {
  spawn: (d) => d.spawn(guest('new')),
  destroy: (d) => d.destroy('running'),
  power_off: (d) => d.powerOff('running'),
  power_on: (d) => d.powerOn('stopped'),
  reboot: (d) => d.reboot('stopped', 'HARD'),
  snapshot: (d) => d.snapshot('running', 'snap-1'),
  get_info: (d) => d.getInfo('running'),
  attach_volume: (d) => d.attachVolume('running', { volumeId: 'vol-2', mountpoint: '/dev/vdc', connectionInfo: { driver_volume_type: 'fake', data: {} } }),
  detach_volume: (d) => d.detachVolume('running', '/dev/vdb'),
  attach_interface: (d) => d.attachInterface('running', { portId: 'port-2', macAddress: 'fa:16:3e:00:00:02', networkId: 'net-1' }),
  detach_interface: (d) => d.detachInterface('running', 'port-1'),
  migrate_disk_and_power_off: (d) => d.migrateDiskAndPowerOff('running'),
  finish_migration: (d) => d.finishMigration(guest('new')),
  confirm_migration: (d) => d.confirmMigration('running'),
  finish_revert_migration: (d) => d.finishRevertMigration('stopped', true),
};

describe('FakeDriver fault injection', () => {
  for (const operation of FAKE_DRIVER_OPERATIONS) {
    it(`virt.${operation} fails on demand and leaves the guests unchanged`, async () => {
      const faults = new FaultInjector();
      const driver = await makeDriver('h1', faults);
      await driver.spawn(guest('running'));
      await driver.spawn(guest('stopped', false));
      await driver.attachVolume('running', { volumeId: 'vol-1', mountpoint: '/dev/vdb', connectionInfo: { driver_volume_type: 'fake', data: {} } });
      await driver.attachInterface('running', { portId: 'port-1', macAddress: 'fa:16:3e:00:00:01', networkId: 'net-1' });
      const before = driver.listGuests();

      faults.arm(`virt.${operation}`, { times: 1 });
      await assert.rejects(CALLS[operation](driver), (err) => {
        assert.ok(err instanceof InjectedFaultError);
        assert.equal(err.code, 'fault.injected');
        assert.deepEqual(err.details, { host: 'h1' });
        return true;
      });
      assert.deepEqual(driver.listGuests(), before);

      // The fault was armed once; the retry goes through.
      await CALLS[operation](driver);
    });
  }

  it('a host-scoped fault only hits that host', async () => {
    const faults = new FaultInjector();
    const a = await makeDriver('host-a', faults);
    const b = await makeDriver('host-b', faults);
    faults.arm('virt.spawn', { host: 'host-b', times: Infinity });

    await a.spawn(guest('g1'));
    await a.spawn(guest('g2'));
    await assert.rejects(b.spawn(guest('g3')), InjectedFaultError);
    await assert.rejects(b.spawn(guest('g4')), InjectedFaultError);

    assert.deepEqual((await a.listInstanceUuids()).sort(), ['g1', 'g2']);
    assert.deepEqual(await b.listInstanceUuids(), []);
  });

  it('a fault on one operation does not touch the others', async () => {
    const faults = new FaultInjector();
    const driver = await makeDriver('h1', faults);
    faults.arm('virt.power_off', { times: Infinity });
    await driver.spawn(guest('running'));
    await driver.reboot('running', 'SOFT');
    await assert.rejects(driver.powerOff('running'), InjectedFaultError);
    await driver.destroy('running');
    assert.deepEqual(await driver.listInstanceUuids(), []);
  });
});
