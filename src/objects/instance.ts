import type { Flavor } from './flavor.js';

/** An instance as the services handle it, decoded from its cell database row. */
export interface Instance {
  id: number;
  uuid: string;
  display_name: string;
  display_description: string | null;
  hostname: string;
  project_id: string;
  user_id: string;
  image_ref: string;
  flavor: Flavor;
  old_flavor: Flavor | null;
  new_flavor: Flavor | null;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  host: string | null;
  node: string | null;
  availability_zone: string | null;
  reservation_id: string;
  launch_index: number;
  key_name: string | null;
  config_drive: string;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  metadata: Record<string, string>;
  system_metadata: Record<string, string>;
  user_data: string | null;
  locked: boolean;
  locked_by: string | null;
  progress: number;
  hidden: boolean;
  launched_at: string | null;
  terminated_at: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
  /**
   * Tags asked for at create (2.52+): carried by the build request and written with the instance
   * into its cell, in the same transaction. Reads of a cell's instances do not fill it; the cell's
   * tag repository holds the current tags.
   */
  tags?: string[];
}

/** The fault recorded when an instance goes to ERROR. */
export interface InstanceFault {
  instance_uuid: string;
  code: number;
  message: string;
  details: string | null;
  host: string | null;
  created_at: string;
}
