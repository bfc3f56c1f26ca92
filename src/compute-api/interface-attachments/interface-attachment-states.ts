import { VmState } from '../../objects/vm-state.js';

/** The vm_states in which Nova attaches and detaches interfaces (check_instance_state of attach_interface and detach_interface). */
export const INTERFACE_ATTACHMENT_VM_STATES: string[] = [VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED];
