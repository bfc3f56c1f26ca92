import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../common/errors.js';
import { checkAllocationPools, defaultAllocationPools } from './allocation-pools.js';
import { freeAddresses } from './ip-allocator.js';
import { formatIpv4, isCanonical, parseCidr, parseIpv4 } from './ipv4.js';

const cidr = (text: string) => {
  const c = parseCidr(text);
  assert.ok(c, text);
  return c;
};
const ip = (text: string) => {
  const n = parseIpv4(text);
  assert.ok(n !== undefined, text);
  return n;
};
const isNeutron = (type: string, status: number) => (err: unknown) =>
  err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

describe('IPv4 arithmetic', () => {
  it('parses dotted quads strictly and formats them back', () => {
    assert.equal(parseIpv4('10.0.3.254'), 167773182);
    assert.equal(formatIpv4(167773182), '10.0.3.254');
    assert.equal(formatIpv4(ip('255.255.255.255')), '255.255.255.255');
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.-1', '10.0.0.1 ', 'a.b.c.d', '']) assert.equal(parseIpv4(bad), undefined, bad);
  });

  it('parses CIDRs, with their first and last address, and tells canonical ones apart', () => {
    const c = cidr('10.0.0.0/22');
    assert.equal(formatIpv4(c.first), '10.0.0.0');
    assert.equal(formatIpv4(c.last), '10.0.3.255');
    assert.equal(isCanonical(c), true);
    assert.equal(isCanonical(cidr('10.0.0.1/24')), false);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/x', '10.0.0/24']) assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('allocation pools', () => {
  it('default to every host address but the gateway, split around it', () => {
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.0/24'), ip('10.0.0.1')), [{ start: '10.0.0.2', end: '10.0.0.254' }]);
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.0/24'), ip('10.0.0.100')), [
      { start: '10.0.0.1', end: '10.0.0.99' },
      { start: '10.0.0.101', end: '10.0.0.254' },
    ]);
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.0/24'), ip('10.0.0.254')), [{ start: '10.0.0.1', end: '10.0.0.253' }]);
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.0/30'), undefined), [{ start: '10.0.0.1', end: '10.0.0.2' }]);
  });

  it('accept pools inside the host addresses that neither overlap nor hold the gateway', () => {
    const ranges = checkAllocationPools(cidr('10.0.0.0/24'), ip('10.0.0.1'), [{ start: '10.0.0.10', end: '10.0.0.19' }, { start: '10.0.0.30', end: '10.0.0.30' }]);
    assert.deepEqual(ranges, [{ first: ip('10.0.0.10'), last: ip('10.0.0.19') }, { first: ip('10.0.0.30'), last: ip('10.0.0.30') }]);
  });

  it('refuse bad pools with Neutron\'s errors', () => {
    const c = cidr('10.0.0.0/24');
    const gw = ip('10.0.0.1');
    assert.throws(() => checkAllocationPools(c, gw, [{ start: '10.0.0.20', end: '10.0.0.10' }]), isNeutron('InvalidAllocationPool', 400));
    assert.throws(() => checkAllocationPools(c, gw, [{ start: 'ten', end: '10.0.0.10' }]), isNeutron('InvalidAllocationPool', 400));
    assert.throws(() => checkAllocationPools(c, gw, [{ start: '10.0.0.0', end: '10.0.0.10' }]), isNeutron('OutOfBoundsAllocationPool', 400));
    assert.throws(() => checkAllocationPools(c, gw, [{ start: '10.0.0.200', end: '10.0.0.255' }]), isNeutron('OutOfBoundsAllocationPool', 400));
    assert.throws(() => checkAllocationPools(c, gw, [{ start: '10.0.1.2', end: '10.0.1.9' }]), isNeutron('OutOfBoundsAllocationPool', 400));
    assert.throws(
      () => checkAllocationPools(c, gw, [{ start: '10.0.0.10', end: '10.0.0.20' }, { start: '10.0.0.20', end: '10.0.0.30' }]),
      isNeutron('OverlappingAllocationPools', 409),
    );
    assert.throws(() => checkAllocationPools(c, gw, [{ start: '10.0.0.1', end: '10.0.0.9' }]), (err: unknown) => {
      assert.ok(isNeutron('GatewayConflictWithAllocationPools', 409)(err));
      assert.equal((err as Error).message, 'Gateway ip 10.0.0.1 conflicts with allocation pool 10.0.0.1-10.0.0.9.');
      return true;
    });
  });
});

describe('freeAddresses', () => {
  it('returns the lowest free addresses in pool order, skipping the taken ones', () => {
    const ranges = [{ first: 20, last: 22 }, { first: 10, last: 12 }];
    assert.deepEqual(freeAddresses(ranges, new Set([10, 12]), 3), [11, 20, 21]);
    assert.deepEqual(freeAddresses(ranges, new Set([10, 11, 12, 20, 21, 22]), 3), []);
    assert.deepEqual(freeAddresses(ranges, new Set(), 1), [10]);
  });

  it('does not walk a huge pool beyond what it needs', () => {
    const started = Date.now();
    assert.deepEqual(freeAddresses([{ first: 0, last: 2 ** 32 - 1 }], new Set([0, 1]), 2), [2, 3]);
    assert.ok(Date.now() - started < 100);
  });
});
