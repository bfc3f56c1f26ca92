import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregateInstanceExtraSpecsFilter } from './aggregate-instance-extra-specs-filter.js';
import { aggregate, flavor, host, spec } from './scheduler-harness.test.js';

describe('AggregateInstanceExtraSpecsFilter', () => {
  const f = new AggregateInstanceExtraSpecsFilter();
  const withSpecs = (extra_specs: Record<string, string>) => spec({ flavor: flavor({ extra_specs }) });
  const ssdHost = host('ssd', { aggregates: [aggregate('fast', { ssd: 'true', cpus: '16', availability_zone: 'az1' })] });
  const plainHost = host('plain', { aggregates: [aggregate('slow', { ssd: 'false' })] });
  const bareHost = host('bare');

  it('is named as in Nova', () => {
    assert.equal(f.name, 'AggregateInstanceExtraSpecsFilter');
  });

  it('passes every host for a flavor without extra specs', () => {
    for (const h of [ssdHost, plainHost, bareHost]) assert.equal(f.passes(h, withSpecs({})), true);
  });

  it('matches scoped keys against aggregate metadata', () => {
    const s = withSpecs({ 'aggregate_instance_extra_specs:ssd': 'true' });
    assert.equal(f.passes(ssdHost, s), true);
    assert.equal(f.passes(plainHost, s), false);
    assert.equal(f.passes(bareHost, s), false, 'a host without the key fails');
  });

  it('matches unscoped keys too', () => {
    assert.equal(f.passes(ssdHost, withSpecs({ ssd: 'true' })), true);
    assert.equal(f.passes(plainHost, withSpecs({ ssd: 'true' })), false);
  });

  it('ignores keys of other scopes', () => {
    const s = withSpecs({ 'hw:cpu_policy': 'dedicated', 'resources:VCPU': '2', 'trait:HW_CPU_X86_AVX2': 'required', 'quota:disk_read_bytes_sec': '1' });
    assert.equal(f.passes(bareHost, s), true);
  });

  it('keeps the rest of the key after the scope, colons included', () => {
    const h = host('h', { aggregates: [aggregate('a', { 'vendor:gpu': 'yes' })] });
    assert.equal(f.passes(h, withSpecs({ 'aggregate_instance_extra_specs:vendor:gpu': 'yes' })), true);
  });

  it('requires every checked key to match', () => {
    assert.equal(f.passes(ssdHost, withSpecs({ ssd: 'true', cpus: '>= 8' })), true);
    assert.equal(f.passes(ssdHost, withSpecs({ ssd: 'true', cpus: '>= 32' })), false);
  });

  it('uses the operator syntax', () => {
    assert.equal(f.passes(ssdHost, withSpecs({ 'aggregate_instance_extra_specs:cpus': '= 8' })), true);
    assert.equal(f.passes(ssdHost, withSpecs({ 'aggregate_instance_extra_specs:ssd': '<or> yes <or> true' })), true);
    assert.equal(f.passes(ssdHost, withSpecs({ 'aggregate_instance_extra_specs:ssd': 's!= true' })), false);
  });

  it('looks at the metadata itself only, never at inherited properties', () => {
    assert.equal(f.passes(ssdHost, withSpecs({ constructor: 'x' })), false);
    assert.equal(f.passes(ssdHost, withSpecs({ 'aggregate_instance_extra_specs:toString': 'x' })), false);
    const h = host('h', { aggregates: [aggregate('a', { constructor: 'x' })] });
    assert.equal(f.passes(h, withSpecs({ constructor: 'x' })), true);
  });

  it('offers every comma-separated value of every aggregate of the host', () => {
    const h = host('h', { aggregates: [aggregate('a', { disk: 'hdd , nvme' }), aggregate('b', { disk: 'ssd' })] });
    assert.equal(f.passes(h, withSpecs({ disk: 'nvme' })), true);
    assert.equal(f.passes(h, withSpecs({ disk: 'ssd' })), true);
    assert.equal(f.passes(h, withSpecs({ disk: 'tape' })), false);
  });
});
