import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { isServiceUp } from './service-liveness.js';

const DOWN_TIME = 60;

function service(over: Partial<{ last_seen_up: string | null; updated_at: string | null; forced_down: boolean }> = {}) {
  return { last_seen_up: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', forced_down: false, ...over };
}

describe('isServiceUp', () => {
  it('is up right after a report', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
    assert.equal(isServiceUp(service(), clock.now(), DOWN_TIME), true);
  });

  it('is up exactly at service_down_time and down one millisecond later', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
    clock.advance(DOWN_TIME * 1000);
    assert.equal(isServiceUp(service(), clock.now(), DOWN_TIME), true);
    clock.advance(1);
    assert.equal(isServiceUp(service(), clock.now(), DOWN_TIME), false);
  });

  it('honours the configured down time', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
    clock.advance(90_000);
    assert.equal(isServiceUp(service(), clock.now(), 60), false);
    assert.equal(isServiceUp(service(), clock.now(), 120), true);
  });

  it('is down when forced down, however recent the report', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
    assert.equal(isServiceUp(service({ forced_down: true }), clock.now(), DOWN_TIME), false);
  });

  it('prefers last_seen_up over updated_at', () => {
    const now = new Date('2026-01-01T00:10:00.000Z');
    // updated_at is recent (e.g. an admin disabled the service) but the heartbeat is old.
    assert.equal(isServiceUp(service({ last_seen_up: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:09:59.000Z' }), now, DOWN_TIME), false);
    assert.equal(isServiceUp(service({ last_seen_up: '2026-01-01T00:09:30.000Z', updated_at: '2026-01-01T00:00:00.000Z' }), now, DOWN_TIME), true);
  });

  it('falls back to updated_at when it has never reported', () => {
    const now = new Date('2026-01-01T00:00:30.000Z');
    assert.equal(isServiceUp(service({ last_seen_up: null, updated_at: '2026-01-01T00:00:00.000Z' }), now, DOWN_TIME), true);
    assert.equal(isServiceUp(service({ last_seen_up: null, updated_at: '2025-12-31T23:00:00.000Z' }), now, DOWN_TIME), false);
  });

  it('is down with no timestamp at all', () => {
    assert.equal(isServiceUp(service({ last_seen_up: null, updated_at: null }), new Date('2026-01-01T00:00:00.000Z'), DOWN_TIME), false);
  });
});
