import type { Clock } from '../../../src/common/clock.js';
import type { IdGenerator } from '../../../src/common/ids.js';
import type { NewFlavor } from '../../../src/db/api/flavor-repo.js';
import type { Flavor } from '../../../src/objects/flavor.js';
import type { Instance } from '../../../src/objects/instance.js';
import { PowerState } from '../../../src/objects/power-state.js';
import type { RequestSpec } from '../../../src/objects/request-spec.js';
import { VmState } from '../../../src/objects/vm-state.js';

/** A flavor as an instance carries it. */
export function makeFlavor(overrides: Partial<Flavor> = {}): Flavor {
  return {
    id: 1,
    flavorid: '1',
    name: 'm1.tiny',
    memory_mb: 512,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    swap: 0,
    rxtx_factor: 1,
    vcpu_weight: null,
    disabled: false,
    is_public: true,
    description: null,
    extra_specs: {},
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: null,
    ...overrides,
  };
}

/** What `FlavorRepo.create` takes. */
export function makeNewFlavor(overrides: Partial<NewFlavor> = {}): NewFlavor {
  return {
    flavorid: 'f-1',
    name: 'flavor-1',
    memory_mb: 512,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    swap: 0,
    rxtx_factor: 1,
    is_public: true,
    description: null,
    ...overrides,
  };
}

/** A freshly built, active instance on `compute-1`, with a new uuid and the clock's time. */
export function makeInstance(deps: { clock: Clock; ids: IdGenerator }, overrides: Partial<Instance> = {}): Instance {
  const uuid = overrides.uuid ?? deps.ids.uuid();
  const now = deps.clock.now().toISOString();
  return {
    id: 0,
    uuid,
    display_name: `server-${uuid.slice(0, 8)}`,
    display_description: null,
    hostname: `server-${uuid.slice(0, 8)}`,
    project_id: 'project-a',
    user_id: 'user-a',
    image_ref: '155d900f-4e14-4e4c-a73d-069cbf4541e6',
    flavor: makeFlavor(),
    old_flavor: null,
    new_flavor: null,
    vm_state: VmState.ACTIVE,
    task_state: null,
    power_state: PowerState.RUNNING,
    host: 'compute-1',
    node: 'compute-1',
    availability_zone: 'nova',
    reservation_id: `r-${uuid.slice(0, 8)}`,
    launch_index: 0,
    key_name: null,
    config_drive: '',
    access_ip_v4: null,
    access_ip_v6: null,
    metadata: { role: 'web' },
    system_metadata: { image_min_disk: '1' },
    user_data: null,
    locked: false,
    locked_by: null,
    progress: 0,
    hidden: false,
    launched_at: now,
    terminated_at: null,
    created_at: now,
    updated_at: null,
    deleted_at: null,
    deleted: false,
    ...overrides,
  };
}

/** A request spec for an instance. */
export function makeRequestSpec(instance: Instance, overrides: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: instance.uuid,
    project_id: instance.project_id,
    user_id: instance.user_id,
    flavor: instance.flavor,
    image: { id: instance.image_ref, min_disk: 1, min_ram: 0, properties: { hw_disk_bus: 'virtio' } },
    availability_zone: instance.availability_zone,
    num_instances: 1,
    ignore_hosts: [],
    requested_destination: null,
    scheduler_hints: { group: ['8e2f6a3c-3f4b-4d8e-9c55-0d8c8f1c3e11'] },
    ...overrides,
  };
}
