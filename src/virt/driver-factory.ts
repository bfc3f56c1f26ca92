import { InternalError } from '../common/errors.js';
import type { VirtDriver } from './driver.js';
import { FakeDriver, type FakeDriverDeps } from './fake/fake-driver.js';

/** Everything any selectable driver may need; today only the fake driver exists. */
export type DriverDeps = FakeDriverDeps;

/** Driver names as Nova's `compute_driver` option spells them, with a short alias. */
export const DRIVER_NAMES = ['fake', 'fake.FakeDriver'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

/**
 * Picks a virt driver by name (`compute_driver = fake.FakeDriver` in Nova terms).
 *
 * @example
 * const driver = createDriver('fake.FakeDriver', { ...config.fake_driver, host_ip: config.DEFAULT.my_ip, logger });
 */
export function createDriver(name: string, deps: DriverDeps): VirtDriver {
  switch (name) {
    case 'fake':
    case 'fake.FakeDriver':
      return new FakeDriver(deps);
    default:
      throw new InternalError('virt.unknown_driver', `Unknown compute driver "${name}"; expected one of: ${DRIVER_NAMES.join(', ')}.`, {
        details: { compute_driver: name },
      });
  }
}
