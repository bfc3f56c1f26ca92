/**
 * The fixed inputs the golden samples are built from: one Tessera server (two ports' worth of
 * addresses, a data volume, tags, image properties in its system metadata), its flavors, a
 * request spec and a failure with a pinned stack. Values are Tessera's own; only the shapes are
 * Nova's.
 */
import { ManualClock } from '../common/clock.js';
import { ConflictError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { RequestContext } from '../common/request-context.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { BlockDeviceMapping, NetworkInfoEntry } from '../objects/block-device.js';
import type { Flavor } from '../objects/flavor.js';
import type { Instance } from '../objects/instance.js';
import type { RequestSpec } from '../objects/request-spec.js';

export const NOW = '2026-03-10T12:34:56.000Z';
export const INSTANCE_UUID = '3f6b2c1d-8e4a-4b7c-9d2e-5a1f0c3b7e64';
export const PROJECT_ID = '8a4f2d6c1e9b4c3a9f7e2d1c0b5a6e4f';
export const USER_ID = '5c2e9a7f3b1d4e6a8c0f2b4d6e8a1c3e';
export const HOST = 'cell1-compute1';

/** Message ids are the only ids the notifier makes; the same for every sample. */
export const fixedIds: IdGenerator = {
  uuid: () => 'd2f1c3b4-5a6e-4f70-8b9c-0a1b2c3d4e5f',
  requestId: () => 'req-unused',
  secret: () => 'unused',
};

export function sampleClock(): ManualClock {
  return new ManualClock(new Date(NOW));
}

export const CTX: RequestContext = {
  requestId: 'req-7e1c4b2a-9d3f-4a6e-b8c1-2f5d7a9e0b13',
  userId: USER_ID,
  projectId: PROJECT_ID,
  roles: ['member'],
  isAdmin: false,
};

export const SMALL: Flavor = {
  id: 2,
  flavorid: '2',
  name: 'm1.small',
  memory_mb: 2048,
  vcpus: 1,
  root_gb: 20,
  ephemeral_gb: 0,
  swap: 0,
  rxtx_factor: 1.0,
  vcpu_weight: null,
  disabled: false,
  is_public: true,
  description: null,
  extra_specs: { 'hw:cpu_policy': 'shared' },
  created_at: '2026-01-05T09:00:00.000Z',
  updated_at: null,
};

export const MEDIUM: Flavor = {
  ...SMALL,
  id: 3,
  flavorid: '3',
  name: 'm1.medium',
  memory_mb: 4096,
  vcpus: 2,
  root_gb: 40,
  description: 'Two vCPUs for the web tier',
  extra_specs: {},
};

/** The server as it is once built; each sample overrides the fields its step changes. */
export function sampleInstance(overrides: Partial<Instance> = {}): Instance {
  return {
    id: 7,
    uuid: INSTANCE_UUID,
    display_name: 'web-1',
    display_description: 'front end of the shop',
    hostname: 'web-1',
    project_id: PROJECT_ID,
    user_id: USER_ID,
    image_ref: '0b7c5e3a-2d4f-4c1e-9a8b-6f5e4d3c2b1a',
    flavor: SMALL,
    old_flavor: null,
    new_flavor: null,
    vm_state: 'active',
    task_state: null,
    power_state: 1,
    host: HOST,
    node: HOST,
    availability_zone: 'cell1',
    reservation_id: 'r-4k9m2p7q',
    launch_index: 0,
    key_name: 'ops-key',
    config_drive: '',
    access_ip_v4: null,
    access_ip_v6: null,
    metadata: { role: 'web' },
    system_metadata: { image_hw_architecture: 'x86_64', image_os_type: 'linux', image_min_disk: '20', image_min_ram: '0', image_base_image_ref: '0b7c5e3a-2d4f-4c1e-9a8b-6f5e4d3c2b1a' },
    user_data: null,
    locked: false,
    locked_by: null,
    progress: 0,
    hidden: false,
    launched_at: '2026-03-10T12:01:02.345Z',
    terminated_at: null,
    created_at: '2026-03-10T12:00:00.123Z',
    updated_at: '2026-03-10T12:34:50.000Z',
    deleted_at: null,
    deleted: false,
    ...overrides,
  };
}

export const NETWORK_INFO: NetworkInfoEntry[] = [
  {
    port_id: '9b2f6c1e-4a7d-4e3b-8c5f-0d1e2f3a4b5c',
    network_id: '1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6',
    network_name: 'private',
    mac_address: 'fa:16:3e:5d:7a:21',
    fixed_ips: [
      { ip_address: '10.0.0.12', version: 4 },
      { ip_address: 'fd00:10::c', version: 6 },
    ],
  },
];

const BDM_BASE = {
  instance_uuid: INSTANCE_UUID,
  device_type: 'disk',
  disk_bus: 'virtio',
  guest_format: null,
  snapshot_id: null,
  volume_type: null,
  connection_info: null,
  no_device: false,
  created_at: '2026-03-10T12:00:00.123Z',
  updated_at: null,
};

/** The image-backed root disk (not reported: no volume) and a data volume (reported). */
export const BDMS: BlockDeviceMapping[] = [
  { ...BDM_BASE, uuid: 'b1a2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b', source_type: 'image', destination_type: 'local', boot_index: 0, device_name: '/dev/vda', delete_on_termination: true, image_id: '0b7c5e3a-2d4f-4c1e-9a8b-6f5e4d3c2b1a', volume_id: null, volume_size: null, attachment_id: null, tag: null },
  { ...BDM_BASE, uuid: 'b1a2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b', source_type: 'volume', destination_type: 'volume', boot_index: null, device_name: '/dev/vdb', delete_on_termination: false, image_id: null, volume_id: '6d4e2f1a-3b5c-4d7e-9f8a-1b2c3d4e5f6a', volume_size: 10, attachment_id: 'a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d', tag: 'data' },
];

export const TAGS = ['prod', 'web'];

/** The three reads the instance notifier makes of a cell, answering with the fixtures above (or nothing, once deleted). */
export function sampleRepos(records: { networkInfo?: NetworkInfoEntry[]; bdms?: BlockDeviceMapping[]; tags?: string[] } = {}): CellRepos {
  const networkInfo = records.networkInfo ?? NETWORK_INFO;
  return {
    vifs: { networkInfoFor: async (uuids: readonly string[]) => new Map(uuids.map((u) => [u, networkInfo])) },
    bdms: { list: async () => records.bdms ?? BDMS },
    tags: { list: async () => records.tags ?? TAGS },
  } as unknown as CellRepos;
}

export const SERVER_GROUP_UUID = '4c3b2a19-8f7e-4d6c-b5a4-3f2e1d0c9b8a';
export const TARGET_CELL_UUID = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918';

export const REQUEST_SPEC: RequestSpec = {
  instance_uuid: INSTANCE_UUID,
  project_id: PROJECT_ID,
  user_id: USER_ID,
  flavor: MEDIUM,
  image: { id: '0b7c5e3a-2d4f-4c1e-9a8b-6f5e4d3c2b1a', min_disk: 20, min_ram: 0, properties: { architecture: 'x86_64', os_distro: 'ubuntu', hw_disk_bus: 'virtio', owner_note: 'golden image' } },
  availability_zone: 'cell1',
  num_instances: 1,
  ignore_hosts: [HOST],
  requested_destination: { cell: TARGET_CELL_UUID },
  scheduler_hints: { group: [SERVER_GROUP_UUID] },
  instance_group: { uuid: SERVER_GROUP_UUID, policy: 'anti-affinity', rules: { max_server_per_host: 2 }, hosts: [HOST], members: [INSTANCE_UUID] },
  move: { source_cell_uuid: '2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a8b' },
};

/** A failure with a pinned stack, so that the exception payload does not depend on where the test runs. */
export function sampleFailure(): Error {
  const err = new ConflictError('placement.concurrent_update', 'A concurrent update changed the allocations of the source host; the move was not started.');
  err.stack = [
    `ConflictError: ${err.message}`,
    '    at moveAllocations (file:///opt/tessera/src/conductor/tasks/move-allocations-task.ts:48:13)',
    '    at async MoveAllocationsTask.execute (file:///opt/tessera/src/conductor/tasks/move-allocations-task.ts:27:5)',
    '    at async runTasks (file:///opt/tessera/src/conductor/tasks/task-runner.ts:31:7)',
  ].join('\n');
  return err;
}
