import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentAuditPeriod } from './audit-period.js';

const at = (iso: string) => new Date(iso);
const begin = (now: string, unit: string) => currentAuditPeriod(at(now), unit).beginning.toISOString();

describe('currentAuditPeriod', () => {
  it('runs from the start of the current period to now', () => {
    const p = currentAuditPeriod(at('2026-03-10T12:00:00Z'), 'month');
    assert.equal(p.beginning.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(p.ending.toISOString(), '2026-03-10T12:00:00.000Z');
  });

  it('starts at the previous boundary when now is exactly on one, as Nova does', () => {
    assert.equal(begin('2026-03-01T00:00:00Z', 'month'), '2026-02-01T00:00:00.000Z');
    assert.equal(begin('2026-01-01T00:00:00Z', 'month'), '2025-12-01T00:00:00.000Z');
  });

  it('honours the units and their offsets', () => {
    assert.equal(begin('2026-03-10T12:34:00Z', 'hour'), '2026-03-10T12:00:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'hour@45'), '2026-03-10T11:45:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'day'), '2026-03-10T00:00:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'day@18'), '2026-03-09T18:00:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'month@15'), '2026-02-15T00:00:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'year'), '2026-01-01T00:00:00.000Z');
    assert.equal(begin('2026-03-10T12:34:00Z', 'year@4'), '2025-04-01T00:00:00.000Z');
  });
});
