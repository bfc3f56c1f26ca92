import type { Flavor } from './flavor.js';

/** What the scheduler is asked for one instance (Nova's RequestSpec, trimmed to what is used). */
export interface RequestSpec {
  instance_uuid: string;
  project_id: string;
  user_id: string;
  flavor: Flavor;
  image: { id: string; min_disk: number; min_ram: number; properties: Record<string, string> };
  availability_zone: string | null;
  num_instances: number;
  ignore_hosts: string[];
  /** A host, node or cell the request is restricted to (admin `host` at create, or a move target). */
  requested_destination: { host?: string; node?: string; cell?: string } | null;
  scheduler_hints: Record<string, string[]>;
}
