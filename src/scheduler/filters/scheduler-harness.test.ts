// Shared builders for the filter and weigher unit tests (hosts, flavors, request specs); no tests here.
import type { Flavor } from '../../objects/flavor.js';
import type { RequestSpec, RequestSpecInstanceGroup } from '../../objects/request-spec.js';
import type { HostAggregate, HostState } from '../host-state.js';

export const CELL1 = '11111111-1111-4111-8111-111111111111';
export const CELL2 = '22222222-2222-4222-8222-222222222222';

export function flavor(over: Partial<Flavor> = {}): Flavor {
  return {
    id: 1, flavorid: '1', name: 'f', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null,
    disabled: false, is_public: true, description: null, extra_specs: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, ...over,
  };
}

export function spec(over: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: 'i-new', project_id: 'p', user_id: 'u', flavor: flavor(),
    image: { id: 'img', min_disk: 0, min_ram: 0, properties: {} },
    availability_zone: null, num_instances: 1, ignore_hosts: [], requested_destination: null, scheduler_hints: {}, ...over,
  };
}

export function host(name: string, over: Partial<HostState> = {}): HostState {
  return {
    host: name, nodename: `${name}.node`, cellUuid: CELL1, cellName: 'cell1', zone: 'nova', serviceUp: true, serviceDisabled: false,
    totalVcpus: 16, totalRamMb: 16384, totalDiskGb: 100, freeVcpus: 16, freeRamMb: 16384, freeDiskGb: 100, ...over,
  };
}

export function aggregate(name: string, metadata: Record<string, string>): HostAggregate {
  return { uuid: `uuid-${name}`, name, metadata };
}

export function group(over: Partial<RequestSpecInstanceGroup> = {}): RequestSpecInstanceGroup {
  return { uuid: 'g-1', policy: 'anti-affinity', rules: {}, hosts: [], members: [], ...over };
}
