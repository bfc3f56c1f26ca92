import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvailabilityZoneFilter } from './availability-zone-filter.js';
import { aggregate, host, spec } from './scheduler-harness.test.js';

describe('AvailabilityZoneFilter', () => {
  const f = new AvailabilityZoneFilter();

  it('is named as in Nova', () => {
    assert.equal(f.name, 'AvailabilityZoneFilter');
  });

  it('passes every host when no zone is requested', () => {
    assert.equal(f.passes(host('h', { zone: 'az1' }), spec()), true);
    assert.equal(f.passes(host('h', { aggregates: [aggregate('a', { availability_zone: 'az1' })] }), spec()), true);
  });

  it('reads the zone from the host aggregates', () => {
    const h = host('h', { zone: 'nova', aggregates: [aggregate('a', { availability_zone: 'az1' })] });
    assert.equal(f.passes(h, spec({ availability_zone: 'az1' })), true);
    assert.equal(f.passes(h, spec({ availability_zone: 'nova' })), false, 'a zoned host is not in the default zone');
  });

  it('accepts a host whose aggregates name the zone, among unzoned aggregates', () => {
    const h = host('h', { aggregates: [aggregate('ssd', { ssd: 'true' }), aggregate('a', { availability_zone: 'az1' })] });
    assert.equal(f.passes(h, spec({ availability_zone: 'az1' })), true);
    assert.equal(f.passes(h, spec({ availability_zone: 'az2' })), false);
  });

  it('falls back to host.zone when no aggregate names a zone', () => {
    const h = host('h', { zone: 'nova', aggregates: [aggregate('ssd', { ssd: 'true' })] });
    assert.equal(f.passes(h, spec({ availability_zone: 'nova' })), true);
    assert.equal(f.passes(h, spec({ availability_zone: 'az1' })), false);
    assert.equal(f.passes(host('h', { zone: 'az2' }), spec({ availability_zone: 'az2' })), true);
  });

  it('is case-sensitive', () => {
    const h = host('h', { aggregates: [aggregate('a', { availability_zone: 'az1' })] });
    assert.equal(f.passes(h, spec({ availability_zone: 'AZ1' })), false);
  });
});
