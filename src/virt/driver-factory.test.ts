import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../common/errors.js';
import { silentLogger } from '../common/logger.js';
import { createDriver, DRIVER_NAMES, type DriverDeps } from './driver-factory.js';
import { FakeDriver } from './fake/fake-driver.js';

const deps: DriverDeps = {
  vcpus: 8,
  memory_mb: 16384,
  local_gb: 200,
  hypervisor_type: 'fake',
  hypervisor_version: 1000,
  host_ip: '127.0.0.1',
  logger: silentLogger(),
};

describe('createDriver', () => {
  for (const name of DRIVER_NAMES) {
    it(`builds the fake driver for "${name}"`, async () => {
      const driver = createDriver(name, deps);
      assert.ok(driver instanceof FakeDriver);
      await driver.init('h1');
      assert.deepEqual(await driver.getNodeNames(), ['h1']);
    });
  }

  it('names the unknown value', () => {
    assert.throws(
      () => createDriver('libvirt.LibvirtDriver', deps),
      (err) =>
        err instanceof TesseraError &&
        err.code === 'virt.unknown_driver' &&
        err.message.includes('"libvirt.LibvirtDriver"'),
    );
  });
});
