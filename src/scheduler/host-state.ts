/** An aggregate the host belongs to, with its metadata (e.g. `availability_zone`, `ssd=true`). */
export interface HostAggregate {
  uuid: string;
  name: string;
  metadata: Record<string, string>;
}

/**
 * One `(architecture, hypervisor type, vm mode)` triple that a host can run, in Nova's canonical
 * lower-case names, e.g. `['x86_64', 'fake', 'hvm']` for the fake driver.
 */
export type SupportedInstance = [arch: string, hvType: string, vmMode: string];

/**
 * What the scheduler knows about one compute node when it decides. Plain data: the host-state
 * source fills it, filters and weighers only read it, and the scheduler updates the usage fields
 * (free resources, `instanceUuids`, `numInstances`) as it places the instances of a request.
 *
 * The optional fields mean "nothing known" when absent: no aggregates, no instances, no supported
 * instances (so an image that names an architecture, hypervisor type or vm mode fits nowhere),
 * no recent build failures.
 */
export interface HostState {
  host: string;
  nodename: string;
  cellUuid: string;
  cellName: string;
  /**
   * The host's availability zone: its aggregates' `availability_zone`, else
   * `[DEFAULT] default_availability_zone`.
   */
  zone: string;
  serviceUp: boolean;
  serviceDisabled: boolean;
  totalVcpus: number;
  totalRamMb: number;
  totalDiskGb: number;
  freeVcpus: number;
  freeRamMb: number;
  freeDiskGb: number;
  /** The aggregates the host is a member of. */
  aggregates?: HostAggregate[];
  /**
   * Uuids of the instances on the host: placed ones (not deleted), ones whose choice is still
   * pending, and ones placed earlier in the same request.
   */
  instanceUuids?: string[];
  /** How many instances the host has; defaults to `instanceUuids.length`. */
  numInstances?: number;
  /** What the host's hypervisor can run; the fake driver reports `[['x86_64', 'fake', 'hvm']]`. */
  supportedInstances?: SupportedInstance[];
  /** Recent consecutive build failures on the host (Nova's `failed_builds`); 0 when unknown. */
  failedBuilds?: number;
}

/**
 * Records on the host state, and on the request's server group, that an instance of the request was
 * just placed on this host, so that the next instance of the same request sees it (Nova's
 * `consume_from_request` plus the group bookkeeping of its scheduler): less free room, one more
 * instance uuid, and the host among the group's hosts.
 *
 * @example
 * const chosen = ranked[0].host;
 * consumeFromRequest(chosen, spec, instanceUuid);
 */
export function consumeFromRequest(
  host: HostState,
  spec: { flavor: { vcpus: number; memory_mb: number; root_gb: number; ephemeral_gb: number; swap: number }; instance_group?: { hosts: string[] } | null; is_bfv?: boolean },
  instanceUuid: string,
): void {
  const f = spec.flavor;
  host.freeVcpus -= f.vcpus;
  host.freeRamMb -= f.memory_mb;
  // A volume-backed root disk takes no room on the host.
  host.freeDiskGb -= (spec.is_bfv === true ? 0 : f.root_gb) + f.ephemeral_gb + Math.ceil(f.swap / 1024);
  const before = host.instanceUuids ?? [];
  // A fresh array: the source may share the old one, and caches keyed on it must see the change.
  host.instanceUuids = [...before, instanceUuid];
  host.numInstances = (host.numInstances ?? before.length) + 1;
  noteGroupHost(spec, host.host);
}

/** Adds `host` to the hosts of the request's server group, if it has one and the host is new there. */
export function noteGroupHost(spec: { instance_group?: { hosts: string[] } | null }, host: string): void {
  const group = spec.instance_group;
  if (group !== null && group !== undefined && !group.hosts.includes(host)) group.hosts.push(host);
}
