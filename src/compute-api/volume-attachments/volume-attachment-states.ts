import { ConflictError } from '../../common/errors.js';
import type { ActionTarget } from '../servers/begin-action.js';
import { VmState } from '../../objects/vm-state.js';

/**
 * The vm_states in which Nova attaches and detaches volumes (its check_instance_state of
 * attach_volume and detach_volume), less shelved-offloaded: such a server has no host, and
 * Tessera does not yet attach volumes without a compute.
 */
export const VOLUME_ATTACHMENT_VM_STATES: string[] = [VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.RESIZED, VmState.SOFT_DELETED, VmState.SHELVED];

/** A shelved server takes volume changes only from microversion 2.20 on; before, Nova's 409. */
export function checkShelvedMicroversion(target: ActionTarget, verb: string, minor: number): void {
  const state = target.instance.vm_state;
  if (minor < 20 && (state === VmState.SHELVED || state === VmState.SHELVED_OFFLOADED)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${verb}' instance ${target.instance.uuid} while it is in vm_state ${state}`);
  }
}
