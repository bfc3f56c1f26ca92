import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import { filtersFromConfig, knownFilterNames } from './filter-registry.js';
import { ImagePropertiesFilter } from './image-properties-filter.js';
import { host, spec } from './scheduler-harness.test.js';

describe('filter registry', () => {
  const nova = [
    'ComputeFilter',
    'AvailabilityZoneFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
    'SameHostFilter',
    'DifferentHostFilter',
    'AggregateInstanceExtraSpecsFilter',
    'ImagePropertiesFilter',
  ];

  it('knows every filter under its Nova name, and builds each with that name', () => {
    assert.deepEqual(knownFilterNames().sort(), [...nova].sort());
    assert.deepEqual(filtersFromConfig(nova).map((f) => f.name), nova);
  });

  it('keeps the always-on restrictions out of the registry', () => {
    assert.throws(() => filtersFromConfig(['RequestedDestinationFilter']), /unknown filter RequestedDestinationFilter/);
    assert.throws(() => filtersFromConfig(['CapacityFilter']), /unknown filter CapacityFilter/);
  });

  it('refuses names that are only object properties', () => {
    for (const name of ['toString', '__proto__', 'constructor']) {
      assert.throws(() => filtersFromConfig([name]), (err: unknown) => err instanceof TesseraError && err.code === 'config.unknown_filter');
    }
  });

  it('names the unknown filter and the known ones', () => {
    assert.throws(() => filtersFromConfig(['ComputeFilter', 'computefilter']), (err: unknown) => {
      assert.ok(err instanceof TesseraError);
      assert.equal(err.code, 'config.unknown_filter');
      assert.equal(err.status, 500);
      assert.match(err.message, /unknown filter computefilter/);
      assert.match(err.message, /ImagePropertiesFilter/);
      return true;
    });
  });

  it('passes the options on to the filters that read them', () => {
    const [f] = filtersFromConfig(['ImagePropertiesFilter'], { image_properties_default_architecture: 'aarch64' });
    assert.ok(f instanceof ImagePropertiesFilter);
    assert.equal(f.passes(host('h', { supportedInstances: [['x86_64', 'fake', 'hvm']] }), spec()), false);
  });
});
