import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUptime } from './host-uptime.js';
import { canonicalUuid, decodeHypervisorId, encodeHypervisorId, isUuidLike } from './hypervisor-id.js';

describe('hypervisor ids', () => {
  it('encodes cell and node into one integer and decodes it back', () => {
    assert.equal(encodeHypervisorId(2, 3), 2_000_000_003);
    assert.deepEqual(decodeHypervisorId('2000000003'), { cellId: 2, nodeId: 3 });
    assert.deepEqual(decodeHypervisorId(' 12000000456 '), { cellId: 12, nodeId: 456 });
    for (const bad of ['3', '2000000000', 'abc', '1.5', '-2000000003', '', '99999999999999999999']) {
      assert.equal(decodeHypervisorId(bad), undefined, bad);
    }
  });

  it('recognises uuids with or without dashes', () => {
    assert.equal(isUuidLike('1B4E28BA-2FA1-11D2-883F-0016D3CCA427'), true);
    assert.equal(isUuidLike('1b4e28ba2fa111d2883f0016d3cca427'), true);
    assert.equal(isUuidLike('2000000003'), false);
    assert.equal(canonicalUuid('1B4E28BA2FA111D2883F0016D3CCA427'), '1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });
});

describe('formatUptime', () => {
  // What `openstack hypervisor show` parses.
  const parse = (text: string) => /\s*(.+)\sup\s+(.+),\s+(.+)\susers?,\s+load average:\s(.+)/.exec(text)?.slice(1);

  it('prints Linux uptime output the clients can parse', () => {
    const boot = new Date('2026-01-01T00:00:00Z');
    assert.equal(formatUptime(boot, new Date('2026-01-01T02:05:30Z')), ' 02:05:30 up  2:05,  0 users,  load average: 0.00, 0.00, 0.00');
    assert.equal(formatUptime(boot, new Date('2026-01-04T13:07:00Z')), ' 13:07:00 up 3 days, 13:07,  0 users,  load average: 0.00, 0.00, 0.00');
    assert.deepEqual(parse(formatUptime(boot, new Date('2026-01-02T00:00:00Z'))), ['00:00:00', '1 day,  0:00', '0', '0.00, 0.00, 0.00']);
    assert.match(formatUptime(new Date('2030-01-01T00:00:00Z'), boot), / up {2}0:00,/);
  });
});
