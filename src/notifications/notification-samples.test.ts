/**
 * Golden samples: each event type Tessera emits, built from the fixed inputs of
 * sample-harness.test.ts and compared with `samples/<event_type>.json` as a whole, so that a field
 * added, removed or renamed in a payload fails here and the sample (the documentation of the
 * shape) is updated with it. After an intended change of shape, regenerate with
 * `TESSERA_WRITE_SAMPLES=1 node --import tsx --test src/notifications/notification-samples.test.ts`
 * and review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { silentLogger } from '../common/logger.js';
import type { InstanceNotifier } from './instance-notifier.js';
import type { Notification } from './notification.js';
import { Notifier } from './notifier.js';
import { CTX, HOST, INSTANCE_UUID, MEDIUM, NOW, REQUEST_SPEC, SMALL, fixedIds, sampleClock, sampleFailure, sampleInstance, sampleRepos } from './sample-harness.test.js';
import { VersionedInstanceNotifier } from './versioned-instance-notifier.js';

const WRITE = process.env['TESSERA_WRITE_SAMPLES'] === '1';

async function emitted(emit: (n: InstanceNotifier) => Promise<void>): Promise<Notification> {
  const clock = sampleClock();
  const notifier = new Notifier({ clock, ids: fixedIds, logger: silentLogger(), enabled: true });
  const seen: Notification[] = [];
  notifier.subscribe((n) => void seen.push(n));
  // Volumes in every payload, as Nova's own samples are made, so that each sample shows the whole shape.
  await emit(new VersionedInstanceNotifier({ notifier, source: 'nova-compute', clock, logger: silentLogger(), bdmsInNotifications: true, auditPeriod: 'month' }));
  assert.equal(seen.length, 1, 'exactly one notification');
  return seen[0] as Notification;
}

const deletedAt = { vm_state: 'deleted', task_state: null, power_state: 0, terminated_at: NOW, deleted_at: NOW, updated_at: NOW, deleted: true };
const noPorts = { networkInfo: [] };

/** Each sample: the step, the instance as it is at that point, and what the cell holds then. */
const SAMPLES: Record<string, (n: InstanceNotifier) => Promise<void>> = {
  'instance.create.start': (n) =>
    n.instanceAction(CTX, sampleRepos({ ...noPorts }), { instance: sampleInstance({ vm_state: 'building', task_state: 'scheduling', power_state: 0, launched_at: null }), action: 'create', phase: 'start', host: HOST }),
  'instance.create.end': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'create', phase: 'end', host: HOST }),
  'instance.delete.start': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'deleting' }), action: 'delete', phase: 'start', host: HOST }),
  'instance.delete.end': (n) =>
    n.instanceAction(CTX, sampleRepos({ networkInfo: [], bdms: [], tags: [] }), { instance: sampleInstance(deletedAt), action: 'delete', phase: 'end', host: HOST }),
  'instance.power_off.start': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'powering-off' }), action: 'power_off', phase: 'start', host: HOST }),
  'instance.power_off.end': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ vm_state: 'stopped', power_state: 4 }), action: 'power_off', phase: 'end', host: HOST }),
  'instance.power_on.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ vm_state: 'stopped', task_state: 'powering-on', power_state: 4 }), action: 'power_on', phase: 'start', host: HOST }),
  'instance.power_on.end': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'power_on', phase: 'end', host: HOST }),
  'instance.reboot.start': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'rebooting_hard' }), action: 'reboot', phase: 'start', host: HOST }),
  'instance.reboot.end': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'reboot', phase: 'end', host: HOST }),
  'instance.reboot.error': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ power_state: 4 }), action: 'reboot', phase: 'error', host: HOST, fault: sampleFailure() }),
  'instance.resize_prep.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'resize_prep' }), action: 'resize_prep', phase: 'start', host: HOST, newFlavor: MEDIUM }),
  'instance.resize_prep.end': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'resize_prep', new_flavor: MEDIUM }), action: 'resize_prep', phase: 'end', host: HOST, newFlavor: MEDIUM }),
  'instance.resize.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'resize_migrating', new_flavor: MEDIUM }), action: 'resize', phase: 'start', host: HOST }),
  'instance.resize.end': (n) =>
    n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'resize_migrated', power_state: 4, new_flavor: MEDIUM }), action: 'resize', phase: 'end', host: HOST }),
  'instance.resize_finish.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), {
      instance: sampleInstance({ task_state: 'resize_finish', power_state: 0, flavor: MEDIUM, old_flavor: SMALL, new_flavor: MEDIUM, host: 'cell2-compute1', node: 'cell2-compute1', availability_zone: 'cell2' }),
      action: 'resize_finish', phase: 'start', host: 'cell2-compute1',
    }),
  'instance.resize_finish.end': (n) =>
    n.instanceAction(CTX, sampleRepos(), {
      instance: sampleInstance({ vm_state: 'resized', flavor: MEDIUM, old_flavor: SMALL, new_flavor: MEDIUM, host: 'cell2-compute1', node: 'cell2-compute1', availability_zone: 'cell2' }),
      action: 'resize_finish', phase: 'end', host: 'cell2-compute1',
    }),
  'instance.resize_confirm.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), {
      instance: sampleInstance({ vm_state: 'resized', task_state: 'resize_confirming', flavor: MEDIUM, old_flavor: SMALL, new_flavor: MEDIUM, host: 'cell2-compute1', node: 'cell2-compute1', availability_zone: 'cell2' }),
      action: 'resize_confirm', phase: 'start', host: HOST,
    }),
  'instance.resize_confirm.end': (n) =>
    n.instanceAction(CTX, sampleRepos(), {
      instance: sampleInstance({ flavor: MEDIUM, host: 'cell2-compute1', node: 'cell2-compute1', availability_zone: 'cell2' }),
      action: 'resize_confirm', phase: 'end', host: HOST,
    }),
  'instance.resize_revert.start': (n) =>
    n.instanceAction(CTX, sampleRepos(), {
      instance: sampleInstance({ vm_state: 'resized', task_state: 'resize_reverting', flavor: MEDIUM, old_flavor: SMALL, new_flavor: MEDIUM, host: 'cell2-compute1', node: 'cell2-compute1', availability_zone: 'cell2' }),
      action: 'resize_revert', phase: 'start', host: 'cell2-compute1',
    }),
  'instance.resize_revert.end': (n) => n.instanceAction(CTX, sampleRepos(), { instance: sampleInstance(), action: 'resize_revert', phase: 'end', host: HOST }),
  'instance.exists': (n) => n.instanceExists(CTX, sampleRepos(), { instance: sampleInstance({ task_state: 'resize_prep' }), host: HOST }),
  'compute_task.migrate_server.error': (n) =>
    n.computeTaskError(CTX, { task: 'migrate_server', instanceUuid: INSTANCE_UUID, requestSpec: REQUEST_SPEC, state: 'active', reason: sampleFailure(), host: 'controller-1' }),
};

describe('notification golden samples', () => {
  for (const [eventType, emit] of Object.entries(SAMPLES)) {
    it(`${eventType} matches samples/${eventType}.json`, async () => {
      const actual = await emitted(emit);
      assert.equal(actual.event_type, eventType);
      const file = new URL(`./samples/${eventType}.json`, import.meta.url);
      // Through JSON, as listeners of another process and the sink file see it.
      const wire = JSON.parse(JSON.stringify(actual)) as unknown;
      if (WRITE) writeFileSync(file, `${JSON.stringify(wire, null, 2)}\n`);
      assert.deepStrictEqual(wire, JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
