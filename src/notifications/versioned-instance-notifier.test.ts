import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { Notification } from './notification.js';
import { Notifier } from './notifier.js';
import { CTX, HOST, sampleClock, sampleInstance, sampleRepos, fixedIds } from './sample-harness.test.js';
import { VersionedInstanceNotifier } from './versioned-instance-notifier.js';

function setup(options: { bdms?: boolean; enabled?: boolean; source?: 'nova-compute' | 'nova-api' } = {}) {
  const logged: Record<string, unknown>[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
  const clock = sampleClock();
  const notifier = new Notifier({ clock, ids: fixedIds, logger, enabled: options.enabled ?? true });
  const seen: Notification[] = [];
  notifier.subscribe((n) => void seen.push(n));
  const facade = new VersionedInstanceNotifier({ notifier, source: options.source ?? 'nova-compute', clock, logger, bdmsInNotifications: options.bdms ?? false, auditPeriod: 'month' });
  return { facade, seen, logged };
}

const data = (n: Notification | undefined) => (n?.payload['nova_object.data'] ?? assert.fail('no notification')) as Record<string, unknown>;

describe('VersionedInstanceNotifier', () => {
  it('reports volumes only for create and delete unless bdms_in_notifications is on', async () => {
    const { facade, seen } = setup();
    const input = { instance: sampleInstance(), phase: 'start' as const, host: HOST };
    await facade.instanceAction(CTX, sampleRepos(), { ...input, action: 'power_off' });
    await facade.instanceAction(CTX, sampleRepos(), { ...input, action: 'delete' });
    assert.equal(data(seen[0])['block_devices'], null);
    assert.equal((data(seen[1])['block_devices'] as unknown[]).length, 1);
    const on = setup({ bdms: true });
    await on.facade.instanceAction(CTX, sampleRepos(), { ...input, action: 'power_off' });
    assert.equal((data(on.seen[0])['block_devices'] as unknown[]).length, 1);
  });

  it('names its own service as the publisher; errors are ERROR with a fault', async () => {
    const { facade, seen } = setup({ source: 'nova-api' });
    await facade.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'delete', phase: 'error', host: 'api-1', fault: new Error('nope') });
    assert.equal(seen[0]?.publisher_id, 'nova-api:api-1');
    assert.equal(seen[0]?.priority, 'ERROR');
    assert.equal((data(seen[0])['fault'] as { 'nova_object.data': { exception_message: string } })['nova_object.data'].exception_message, 'nope');
  });

  it('ignores a fault outside the error phase', async () => {
    const { facade, seen } = setup();
    await facade.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'reboot', phase: 'end', host: HOST, fault: new Error('stale') });
    assert.equal(data(seen[0])['fault'], null);
    assert.equal(seen[0]?.priority, 'INFO');
  });

  it('never rejects: a failing read is logged with the request and instance, and nothing is emitted', async () => {
    const { facade, seen, logged } = setup();
    const broken = { vifs: { networkInfoFor: () => Promise.reject(new Error('database is locked')) }, bdms: { list: async () => [] }, tags: { list: async () => [] } } as unknown as CellRepos;
    await facade.instanceAction(CTX, broken, { instance: sampleInstance(), action: 'create', phase: 'start', host: HOST });
    await facade.instanceExists(CTX, broken, { instance: sampleInstance(), host: HOST });
    assert.deepEqual(seen, []);
    assert.deepEqual(logged.map((l) => [l['event_type'], l['request_id'], l['instance_uuid']]), [
      ['instance.create.start', CTX.requestId, sampleInstance().uuid],
      ['instance.exists', CTX.requestId, sampleInstance().uuid],
    ]);
  });

  it('reads nothing and emits nothing when notifications are off', async () => {
    const { facade, seen } = setup({ enabled: false });
    const untouchable = {} as CellRepos;
    await facade.instanceAction(CTX, untouchable, { instance: sampleInstance(), action: 'create', phase: 'start', host: HOST });
    assert.deepEqual(seen, []);
  });
});
