import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CapacityFilter } from './capacity-filter.js';
import { flavor, host, spec } from './scheduler-harness.test.js';

describe('CapacityFilter (always on)', () => {
  const f = new CapacityFilter();
  const need = (over: Parameters<typeof flavor>[0]) => spec({ flavor: flavor(over) });

  it('passes a host with room, exact fits included', () => {
    assert.equal(f.passes(host('h', { freeVcpus: 2, freeRamMb: 2048, freeDiskGb: 20 }), need({ vcpus: 2, memory_mb: 2048, root_gb: 20 })), true);
  });

  it('refuses a host short of vCPUs, RAM or disk (root + ephemeral + swap in whole GB)', () => {
    const h = host('h', { freeVcpus: 2, freeRamMb: 2048, freeDiskGb: 20 });
    assert.equal(f.passes(h, need({ vcpus: 3 })), false);
    assert.equal(f.passes(h, need({ memory_mb: 2049 })), false);
    assert.equal(f.passes(h, need({ root_gb: 15, ephemeral_gb: 5, swap: 1 })), false);
    assert.equal(f.passes(h, need({ root_gb: 15, ephemeral_gb: 4, swap: 1024 })), true);
  });
});
