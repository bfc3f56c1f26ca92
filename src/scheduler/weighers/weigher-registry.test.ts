import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import type { Config } from '../../config/config-schema.js';
import type { FilterOptions } from '../filters/filter-registry.js';
import type { WeigherOptions } from './host-weigher.js';
import { RamWeigher } from './ram-weigher.js';
import { ALL_WEIGHERS, knownWeigherClasses, weighersFromConfig } from './weigher-registry.js';

describe('weigher registry', () => {
  it('builds every weigher from all_weighers', () => {
    assert.deepEqual(weighersFromConfig([ALL_WEIGHERS]).map((w) => w.name), [
      'RAMWeigher',
      'CPUWeigher',
      'DiskWeigher',
      'ServerGroupSoftAffinityWeigher',
      'ServerGroupSoftAntiAffinityWeigher',
      'BuildFailureWeigher',
      'CrossCellWeigher',
      'NumInstancesWeigher',
    ]);
  });

  it('builds weighers by Nova class path, in the given order', () => {
    const ws = weighersFromConfig(['nova.scheduler.weights.cross_cell.CrossCellWeigher', 'nova.scheduler.weights.ram.RAMWeigher']);
    assert.deepEqual(ws.map((w) => w.name), ['CrossCellWeigher', 'RAMWeigher']);
    assert.ok(ws[1] instanceof RamWeigher);
  });

  it('knows each class path', () => {
    for (const path of knownWeigherClasses()) assert.ok(weighersFromConfig([path]).length >= 1, path);
    assert.deepEqual(weighersFromConfig(['nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher']).map((w) => w.name), [
      'ServerGroupSoftAntiAffinityWeigher',
    ]);
  });

  it('uses a weigher once even when named twice', () => {
    const ws = weighersFromConfig(['nova.scheduler.weights.ram.RAMWeigher', ALL_WEIGHERS, 'nova.scheduler.weights.ram.RAMWeigher']);
    assert.equal(ws.filter((w) => w.name === 'RAMWeigher').length, 1);
    assert.equal(ws.length, 8);
  });

  it('takes the parsed [filter_scheduler] section as its options', () => {
    // Compile-time checks: the configuration section can be passed as it is.
    const section = {} as Config['filter_scheduler'];
    const weigherOptions: WeigherOptions = section;
    const filterOptions: FilterOptions = section;
    assert.ok(weigherOptions === filterOptions);
  });

  it('accepts an empty list (no weighing)', () => {
    assert.deepEqual(weighersFromConfig([]), []);
  });

  it('refuses an unknown value and names it', () => {
    for (const bad of ['RAMWeigher', 'nova.scheduler.weights.ram.RamWeigher', 'nova.scheduler.weights.io_ops.IoOpsWeigher', 'toString']) {
      assert.throws(() => weighersFromConfig([ALL_WEIGHERS, bad]), (err: unknown) => {
        assert.ok(err instanceof TesseraError);
        assert.equal(err.code, 'config.unknown_weigher');
        assert.equal(err.status, 500);
        assert.ok(err.message.includes(`unknown weigher ${bad} `), err.message);
        assert.match(err.message, /nova\.scheduler\.weights\.all_weighers/);
        return true;
      });
    }
  });
});
