import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { silentLogger } from '../common/logger.js';
import type { Notification, NotificationEvent } from './notification.js';
import type { NotificationSink } from './notification-sink.js';
import { Notifier, osloTimestamp } from './notifier.js';
import { fixedIds } from './sample-harness.test.js';

const EVENT: NotificationEvent = {
  event_type: 'instance.power_off.start',
  publisher_id: 'nova-compute:cell1-compute1',
  priority: 'INFO',
  payload: { 'nova_object.name': 'InstanceActionPayload', 'nova_object.namespace': 'nova', 'nova_object.version': '1.9', 'nova_object.data': { uuid: 'u-1' } },
};

function notifier(options: { enabled?: boolean; sinks?: NotificationSink[] } = {}): Notifier {
  return new Notifier({ clock: new ManualClock(new Date('2026-03-10T12:34:56.789Z')), ids: fixedIds, logger: silentLogger(), enabled: options.enabled ?? true, ...(options.sinks ? { sinks: options.sinks } : {}) });
}

describe('Notifier', () => {
  it('stamps the envelope with a message id and oslo timestamp and delivers it to every listener', () => {
    const n = notifier();
    const a: Notification[] = [];
    const b: Notification[] = [];
    n.subscribe((x) => void a.push(x));
    n.subscribe((x) => void b.push(x));
    n.emit(EVENT);
    assert.deepEqual(a, [{ ...EVENT, message_id: 'd2f1c3b4-5a6e-4f70-8b9c-0a1b2c3d4e5f', timestamp: '2026-03-10 12:34:56.789000' }]);
    assert.deepEqual(b, a);
  });

  it('keeps delivering when a listener throws or rejects, and the emitter never sees it', async () => {
    const n = notifier();
    const seen: string[] = [];
    n.subscribe(() => {
      throw new Error('listener bug');
    });
    n.subscribe(async () => {
      throw new Error('async listener bug');
    });
    n.subscribe((x) => void seen.push(x.event_type));
    assert.doesNotThrow(() => n.emit(EVENT));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ['instance.power_off.start']);
  });

  it('stops delivering to a listener once it unsubscribes', () => {
    const n = notifier();
    const seen: Notification[] = [];
    const stop = n.subscribe((x) => void seen.push(x));
    n.emit(EVENT);
    stop();
    n.emit(EVENT);
    assert.equal(seen.length, 1);
  });

  it('emits nothing when disabled (notification_format unversioned)', () => {
    const lines: string[] = [];
    const n = notifier({ enabled: false, sinks: [{ write: (_n, line) => void lines.push(line), flush: async () => {}, close: async () => {} }] });
    const seen: Notification[] = [];
    n.subscribe((x) => void seen.push(x));
    assert.equal(n.emit(EVENT), undefined);
    assert.deepEqual([seen, lines], [[], []]);
  });

  it('is enabled only while a sink or a listener would receive: without either, producers build nothing', () => {
    const n = notifier();
    assert.equal(n.enabled, false);
    assert.equal(n.emit(EVENT), undefined);
    const stop = n.subscribe(() => undefined);
    assert.equal(n.enabled, true);
    assert.notEqual(n.emit(EVENT), undefined);
    stop();
    assert.equal(n.enabled, false);
    const withSink = notifier({ sinks: [{ write: () => undefined, flush: async () => {}, close: async () => {} }] });
    assert.equal(withSink.enabled, true);
    assert.equal(notifier({ enabled: false, sinks: [{ write: () => undefined, flush: async () => {}, close: async () => {} }] }).enabled, false);
  });

  it('hands sinks the JSON made before listeners run, and survives a sink that throws', () => {
    const lines: string[] = [];
    const n = notifier({
      sinks: [
        { write: () => { throw new Error('sink bug'); }, flush: async () => {}, close: async () => {} },
        { write: (_n, line) => void lines.push(line), flush: async () => {}, close: async () => {} },
      ],
    });
    n.subscribe((x) => { (x as { event_type: string }).event_type = 'mutated'; });
    n.emit(EVENT);
    assert.equal((JSON.parse(lines[0] ?? '{}') as Notification).event_type, 'instance.power_off.start');
  });
});

describe('osloTimestamp', () => {
  it("is Python's str() of the UTC time: microseconds only when there are some", () => {
    assert.equal(osloTimestamp(new Date('2026-03-10T12:34:56.000Z')), '2026-03-10 12:34:56');
    assert.equal(osloTimestamp(new Date('2026-03-10T12:34:56.007Z')), '2026-03-10 12:34:56.007000');
  });
});
