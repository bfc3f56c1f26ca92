import type { Flavor } from './flavor.js';
import type { RequestedNetwork } from './requested-network.js';

/** The four server group policies of the compute API (microversion 2.64 names). */
export type ServerGroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/**
 * The server group an instance belongs to, as the scheduler needs it (Nova's
 * `RequestSpec.instance_group`). The conductor refreshes `hosts` and `members` from the API
 * database before every scheduling call (create, reschedule, move), because the group changes
 * between calls.
 */
export interface RequestSpecInstanceGroup {
  uuid: string;
  policy: ServerGroupPolicy;
  /** Only `anti-affinity` has a rule: at most this many members per host (default 1). */
  rules: { max_server_per_host?: number };
  /** Hosts of the group's current members; the scheduler appends each host it picks in a request. */
  hosts: string[];
  /** Instance uuids of the group's members, including the ones being scheduled now. */
  members: string[];
}

/**
 * Set by the conductor when it schedules a resize or cold migration (never on create), so that
 * the cross-cell weigher can prefer the instance's current cell. Not meant to be persisted: it
 * describes one scheduling call.
 */
export interface RequestSpecMove {
  /** The cell the instance lives in now. */
  source_cell_uuid: string;
}

/** What the scheduler is asked for one instance (Nova's RequestSpec, trimmed to what is used). */
export interface RequestSpec {
  instance_uuid: string;
  project_id: string;
  user_id: string;
  flavor: Flavor;
  /**
   * The image; `properties` are Glance's raw properties (`hw_architecture`, `img_hv_type`,
   * `hw_vm_mode`, or their legacy names `architecture`, `hypervisor_type`, `vm_mode`).
   */
  image: { id: string; min_disk: number; min_ram: number; properties: Record<string, string> };
  availability_zone: string | null;
  num_instances: number;
  /** The least of `num_instances` the request accepts (`min_count`); fewer fitting means none is built. */
  min_count?: number;
  ignore_hosts: string[];
  /** A host, node or cell the request is restricted to (admin `host` at create, or a move target). */
  requested_destination: { host?: string; node?: string; cell?: string } | null;
  /** Scheduler hints, every value a list (`group`, `same_host`, `different_host`, ...). */
  scheduler_hints: Record<string, string[]>;
  /** The instance's server group, when it has one (`os:scheduler_hints: {"group": ...}`). */
  instance_group?: RequestSpecInstanceGroup | null;
  /** Present only while scheduling a move (resize, cold migration). */
  move?: RequestSpecMove | null;
  /**
   * The interfaces the instance was asked to have, `auto` already resolved to a network; empty
   * for none. The compute allocates them on each host it tries (create and reschedule).
   */
  requested_networks?: RequestedNetwork[];
  /**
   * The root disk is a volume (boot from volume): the flavor's root disk is not asked of the
   * host, as Nova's `is_bfv`.
   */
  is_bfv?: boolean;
}
