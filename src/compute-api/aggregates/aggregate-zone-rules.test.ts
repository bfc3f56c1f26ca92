import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { Aggregate } from '../../db/api/aggregate-repo.js';
import { parseAggregateId } from './aggregate-id.js';
import { reservedZone, zoneConflict, zoneMoveReason, zoneOfHost } from './aggregate-zone-rules.js';

function agg(id: number, hosts: string[], zone?: string): Aggregate {
  return { id, uuid: `u${id}`, name: `agg${id}`, hosts, metadata: zone === undefined ? {} : { availability_zone: zone }, created_at: '', updated_at: null };
}

describe('aggregate zone rules', () => {
  const cell1 = agg(1, ['h1', 'h2'], 'cell1');
  const ssd = agg(2, ['h2']);
  const fast = agg(3, [], 'fast');
  const all = [cell1, ssd, fast];

  it('refuses a zone for hosts that another aggregate zones differently, in Nova words', () => {
    assert.equal(zoneConflict(fast, all, 'fast', ['h1']), "One or more hosts already in availability zone(s) ['cell1']");
    assert.equal(zoneConflict(fast, all, 'cell1', ['h1']), undefined, 'the same zone is fine');
    assert.equal(zoneConflict(fast, all, 'fast', ['h9']), undefined, 'a host in no aggregate is fine');
    assert.equal(zoneConflict(ssd, all, 'cell1', ssd.hosts), undefined);
    assert.match(zoneConflict(ssd, all, 'other', ssd.hosts) ?? '', /\['cell1'\]/);
    // The aggregate's own zone does not conflict with its new one.
    assert.equal(zoneConflict(cell1, all, 'renamed', cell1.hosts), undefined);
  });

  it('refuses an empty zone name, and the internal zone', () => {
    assert.equal(zoneConflict(ssd, all, null, []), 'Aggregate agg2 does not support empty named availability zone');
    assert.equal(zoneConflict(ssd, all, '', []), 'Aggregate agg2 does not support empty named availability zone');
    assert.match(reservedZone('internal', 'internal') ?? '', /reserved/);
    assert.equal(reservedZone('nova', 'internal'), undefined);
    assert.equal(reservedZone(null, 'internal'), undefined);
  });

  it('finds the zone a host has, optionally ignoring one aggregate', () => {
    assert.equal(zoneOfHost('h2', all), 'cell1');
    assert.equal(zoneOfHost('h2', all, 1), undefined);
    assert.equal(zoneOfHost('h9', all), undefined);
    assert.match(zoneMoveReason('removed from', 'cell1', undefined, 2), /from 'cell1' to 'None' but the host already has 2 instance\(s\)/);
  });

  it('reads aggregate ids as Python int() does: 400 for text, 404 for impossible numbers', () => {
    assert.equal(parseAggregateId('42'), 42);
    assert.equal(parseAggregateId(' +7 '), 7);
    assert.throws(() => parseAggregateId('cell1'), BadRequestError);
    assert.throws(() => parseAggregateId('1.5'), BadRequestError);
    assert.throws(() => parseAggregateId('0'), NotFoundError);
    assert.throws(() => parseAggregateId('-3'), NotFoundError);
    assert.throws(() => parseAggregateId('99999999999999999999'), NotFoundError);
  });
});
