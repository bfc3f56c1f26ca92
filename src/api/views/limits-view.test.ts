import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUOTA_RESOURCES, type QuotaValues } from '../../compute-api/quotas/quota-resources.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { limitsView } from './limits-view.js';
import { quotaSetView } from './quota-set-view.js';

const mv = (v: string): Microversion => parseVersion(v) as Microversion;
const values = (f: (r: string, i: number) => number): QuotaValues => Object.fromEntries(QUOTA_RESOURCES.map((r, i) => [r, f(r, i)])) as QuotaValues;

describe('limits and quota set views', () => {
  it('names each limit as Nova does, metadata_items twice below 2.39', () => {
    const limits = values((_, i) => 100 + i);
    const usage = values((_, i) => i);
    const { absolute } = limitsView(mv('2.1'), limits, usage).limits;
    assert.equal(absolute['maxTotalRAMSize'], limits.ram);
    assert.equal(absolute['maxServerMeta'], limits.metadata_items);
    assert.equal(absolute['maxImageMeta'], limits.metadata_items);
    assert.equal(absolute['maxPersonalitySize'], limits.injected_file_content_bytes);
    assert.equal(absolute['totalServerGroupsUsed'], usage.server_groups);
    assert.equal(absolute['totalRAMUsed'], usage.ram);
    assert.equal('maxImageMeta' in limitsView(mv('2.39'), limits, usage).limits.absolute, false);
    assert.equal('maxTotalFloatingIps' in limitsView(mv('2.36'), limits, usage).limits.absolute, false);
    assert.equal('maxPersonality' in limitsView(mv('2.56'), limits, usage).limits.absolute, true);
    assert.equal('maxPersonality' in limitsView(mv('2.57'), limits, usage).limits.absolute, false);
  });

  it('shows a quota set with its id, or without for the answer to an update', () => {
    const set = values(() => 7);
    assert.deepEqual(Object.keys(quotaSetView(mv('2.57'), set, 'p1').quota_set), ['id', 'cores', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
    assert.equal('id' in quotaSetView(mv('2.1'), set).quota_set, false);
  });
});
