import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../common/errors.js';
import { planFixedIps, type FixedIpPlanInput } from './fixed-ip-planner.js';
import { parseIpv4 } from './ipv4.js';
import type { SubnetRecord } from './subnet-record.js';

function subnet(id: string, cidr: string, gateway: string | null, pools: { start: string; end: string }[]): SubnetRecord {
  return {
    id, network_id: 'net', name: id, description: '', project_id: 'p', ip_version: 4, cidr, gateway_ip: gateway, enable_dhcp: true,
    allocation_pools: pools, dns_nameservers: [], revision_number: 1, created_at: '', updated_at: '', tags: [],
  };
}

const S1 = subnet('s1', '10.0.0.0/29', '10.0.0.1', [{ start: '10.0.0.2', end: '10.0.0.6' }]);
const S2 = subnet('s2', '192.168.0.0/24', '192.168.0.1', [{ start: '192.168.0.10', end: '192.168.0.20' }]);

const taken = (entries: Record<string, string[]>) =>
  new Map(Object.entries(entries).map(([id, ips]) => [id, new Set(ips.map((i) => parseIpv4(i) as number))]));

const plan = (overrides: Partial<FixedIpPlanInput>) =>
  planFixedIps({ networkId: 'net', subnets: [S1, S2], requests: undefined, taken: new Map(), pick: (free) => free[0] as number, ...overrides });

const isNeutron = (type: string, status: number, message?: string) => (err: unknown) => {
  assert.ok(err instanceof TesseraError, String(err));
  assert.equal(err.details?.['type'], type);
  assert.equal(err.status, status);
  if (message !== undefined) assert.equal(err.message, message);
  return true;
};

describe('planFixedIps', () => {
  it('gives a port without a request one address from the first subnet with room', () => {
    assert.deepEqual(plan({}), [{ subnet_id: 's1', ip_address: '10.0.0.2' }]);
    assert.deepEqual(plan({ taken: taken({ s1: ['10.0.0.2', '10.0.0.3'] }) }), [{ subnet_id: 's1', ip_address: '10.0.0.4' }]);
    assert.deepEqual(plan({ taken: taken({ s1: ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'] }) }), [{ subnet_id: 's2', ip_address: '192.168.0.10' }]);
  });

  it('lets the picker choose among the free addresses', () => {
    const seen: number[][] = [];
    const out = plan({ taken: taken({ s1: ['10.0.0.3'] }), pick: (free) => { seen.push([...free]); return free[free.length - 1] as number; } });
    assert.deepEqual(seen, [['10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((i) => parseIpv4(i))]);
    assert.deepEqual(out, [{ subnet_id: 's1', ip_address: '10.0.0.6' }]);
  });

  it('reports an exhausted network as Neutron\'s IpAddressGenerationFailure', () => {
    const full = taken({ s1: ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'] });
    assert.throws(() => plan({ subnets: [S1], taken: full }), isNeutron('IpAddressGenerationFailure', 409, 'No more IP addresses available on network net.'));
    assert.throws(() => plan({ taken: full, requests: [{ subnet_id: 's1' }] }), isNeutron('IpAddressGenerationFailure', 409, 'No more IP addresses available for subnet s1.'));
  });

  it('gives no address for an empty request or a network without subnets', () => {
    assert.deepEqual(plan({ requests: [] }), []);
    assert.deepEqual(plan({ subnets: [] }), []);
  });

  it('takes requested addresses, finding their subnet, and plans subnet-only requests around them', () => {
    assert.deepEqual(plan({ requests: [{ subnet_id: 's1' }, { ip_address: '10.0.0.2' }, { subnet_id: 's2', ip_address: '192.168.0.200' }] }), [
      { subnet_id: 's1', ip_address: '10.0.0.3' },
      { subnet_id: 's1', ip_address: '10.0.0.2' },
      { subnet_id: 's2', ip_address: '192.168.0.200' },
    ]);
    assert.deepEqual(plan({ requests: [{ subnet_id: 's1' }, { subnet_id: 's1' }] }), [
      { subnet_id: 's1', ip_address: '10.0.0.2' },
      { subnet_id: 's1', ip_address: '10.0.0.3' },
    ]);
  });

  it('refuses addresses that are not free host addresses of the network or the named subnet', () => {
    assert.throws(() => plan({ requests: [{ ip_address: '172.16.0.5' }] }), isNeutron('InvalidIpForNetwork', 400));
    assert.throws(() => plan({ requests: [{ ip_address: 'not-an-ip' }] }), isNeutron('InvalidIpForNetwork', 400));
    assert.throws(() => plan({ requests: [{ subnet_id: 's2', ip_address: '10.0.0.3' }] }), isNeutron('InvalidIpForSubnet', 400));
    for (const reserved of ['10.0.0.0', '10.0.0.7', '10.0.0.1']) {
      assert.throws(() => plan({ requests: [{ subnet_id: 's1', ip_address: reserved }] }), isNeutron('InvalidIpForSubnet', 400), reserved);
    }
    assert.throws(() => plan({ requests: [{ ip_address: '10.0.0.4' }], taken: taken({ s1: ['10.0.0.4'] }) }), isNeutron('IpAddressAlreadyAllocated', 409, 'IP address 10.0.0.4 already allocated in subnet s1'));
    assert.throws(() => plan({ requests: [{ ip_address: '10.0.0.4' }, { ip_address: '10.0.0.4' }] }), isNeutron('InvalidInput', 400));
  });
});
