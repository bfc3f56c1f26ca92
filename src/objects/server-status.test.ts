import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverStatus, vmStatesForStatus } from './server-status.js';
import { TaskState } from './task-state.js';
import { VmState } from './vm-state.js';

describe('serverStatus', () => {
  const cases: [string, string | null, string][] = [
    [VmState.ACTIVE, null, 'ACTIVE'],
    [VmState.BUILDING, null, 'BUILD'],
    [VmState.BUILDING, TaskState.SCHEDULING, 'BUILD'],
    [VmState.BUILDING, TaskState.SPAWNING, 'BUILD'],
    [VmState.STOPPED, null, 'SHUTOFF'],
    [VmState.ACTIVE, TaskState.REBOOTING, 'REBOOT'],
    [VmState.ACTIVE, TaskState.REBOOT_STARTED, 'REBOOT'],
    [VmState.ACTIVE, TaskState.REBOOTING_HARD, 'HARD_REBOOT'],
    [VmState.ACTIVE, TaskState.REBOOT_PENDING_HARD, 'HARD_REBOOT'],
    [VmState.ACTIVE, TaskState.RESIZE_PREP, 'RESIZE'],
    [VmState.ACTIVE, TaskState.RESIZE_FINISH, 'RESIZE'],
    [VmState.STOPPED, TaskState.RESIZE_PREP, 'RESIZE'],
    [VmState.STOPPED, TaskState.RESIZE_MIGRATING, 'RESIZE'],
    [VmState.RESIZED, null, 'VERIFY_RESIZE'],
    [VmState.RESIZED, TaskState.RESIZE_REVERTING, 'REVERT_RESIZE'],
    [VmState.RESIZED, TaskState.RESIZE_CONFIRMING, 'VERIFY_RESIZE'],
    [VmState.ACTIVE, TaskState.MIGRATING, 'MIGRATING'],
    [VmState.ACTIVE, TaskState.POWERING_OFF, 'ACTIVE'],
    [VmState.STOPPED, TaskState.POWERING_ON, 'SHUTOFF'],
    [VmState.ACTIVE, TaskState.DELETING, 'ACTIVE'],
    [VmState.ERROR, null, 'ERROR'],
    [VmState.ERROR, TaskState.DELETING, 'ERROR'],
    [VmState.ERROR, 'rebuilding', 'REBUILD'],
    [VmState.PAUSED, null, 'PAUSED'],
    [VmState.SUSPENDED, null, 'SUSPENDED'],
    [VmState.RESCUED, null, 'RESCUE'],
    [VmState.DELETED, null, 'DELETED'],
    [VmState.SOFT_DELETED, null, 'SOFT_DELETED'],
    [VmState.SHELVED, null, 'SHELVED'],
    [VmState.SHELVED_OFFLOADED, null, 'SHELVED_OFFLOADED'],
    ['no-such-state', null, 'UNKNOWN'],
    ['no-such-state', TaskState.REBOOTING, 'UNKNOWN'],
  ];
  for (const [vm, task, expected] of cases) {
    it(`${vm} + ${String(task)} → ${expected}`, () => {
      assert.equal(serverStatus(vm, task), expected);
    });
  }

  it('an unknown task state falls back to the vm_state default', () => {
    assert.equal(serverStatus(VmState.ACTIVE, 'something-new'), 'ACTIVE');
    assert.equal(serverStatus(VmState.STOPPED, 'something-new'), 'SHUTOFF');
  });
});

describe('vmStatesForStatus', () => {
  it('maps a default status to its vm_state', () => {
    assert.deepEqual(vmStatesForStatus('ACTIVE'), [VmState.ACTIVE]);
    assert.deepEqual(vmStatesForStatus('SHUTOFF'), [VmState.STOPPED]);
    assert.deepEqual(vmStatesForStatus('ERROR'), [VmState.ERROR]);
    assert.deepEqual(vmStatesForStatus('VERIFY_RESIZE'), [VmState.RESIZED]);
  });

  it('is case-insensitive', () => {
    assert.deepEqual(vmStatesForStatus('active'), [VmState.ACTIVE]);
    assert.deepEqual(vmStatesForStatus('Build'), [VmState.BUILDING]);
  });

  it('maps a task-derived status to every vm_state it can come from', () => {
    assert.deepEqual(vmStatesForStatus('RESIZE').sort(), [VmState.ACTIVE, VmState.STOPPED].sort());
    assert.deepEqual(vmStatesForStatus('REBUILD').sort(), [VmState.ACTIVE, VmState.ERROR, VmState.STOPPED].sort());
    assert.deepEqual(vmStatesForStatus('MIGRATING').sort(), [VmState.ACTIVE, VmState.PAUSED].sort());
    assert.deepEqual(vmStatesForStatus('HARD_REBOOT'), [VmState.ACTIVE]);
    assert.deepEqual(vmStatesForStatus('REVERT_RESIZE'), [VmState.RESIZED]);
  });

  it('returns nothing for an unknown status', () => {
    assert.deepEqual(vmStatesForStatus('NOPE'), []);
  });

  it('agrees with serverStatus: every vm_state returned can show that status', () => {
    for (const status of ['ACTIVE', 'BUILD', 'SHUTOFF', 'RESIZE', 'REBUILD', 'ERROR', 'PAUSED', 'SHELVED_OFFLOADED']) {
      for (const vm of vmStatesForStatus(status)) {
        const reachable = [null, ...Object.values(TaskState), 'rebuilding'].some((t) => serverStatus(vm, t) === status);
        assert.ok(reachable, `${vm} never shows ${status}`);
      }
    }
  });
});
