import type { Insertable, Selectable } from 'kysely';
import type { Flavor } from '../../objects/flavor.js';
import type { Instance } from '../../objects/instance.js';
import type { InstanceTable } from './cell-schema.js';

/** Decodes an instance row: JSON columns parsed, 0/1 columns as booleans. */
export function rowToInstance(row: Selectable<InstanceTable>): Instance {
  const flavors = JSON.parse(row.flavor) as { cur: Flavor; old: Flavor | null; new: Flavor | null };
  return {
    id: row.id,
    uuid: row.uuid,
    display_name: row.display_name,
    display_description: row.display_description,
    hostname: row.hostname,
    project_id: row.project_id,
    user_id: row.user_id,
    image_ref: row.image_ref,
    flavor: flavors.cur,
    old_flavor: flavors.old,
    new_flavor: flavors.new,
    vm_state: row.vm_state,
    task_state: row.task_state,
    power_state: row.power_state,
    host: row.host,
    node: row.node,
    availability_zone: row.availability_zone,
    reservation_id: row.reservation_id,
    launch_index: row.launch_index,
    key_name: row.key_name,
    config_drive: row.config_drive,
    access_ip_v4: row.access_ip_v4,
    access_ip_v6: row.access_ip_v6,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    system_metadata: JSON.parse(row.system_metadata) as Record<string, string>,
    user_data: row.user_data,
    locked: row.locked === 1,
    locked_by: row.locked_by,
    progress: row.progress,
    hidden: row.hidden === 1,
    launched_at: row.launched_at,
    terminated_at: row.terminated_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted_at: row.deleted_at,
    deleted: row.deleted !== 0,
  };
}

/** Encodes an instance for insertion (the id and soft-delete marker are the database's). */
export function instanceToRow(i: Instance): Insertable<InstanceTable> {
  return {
    uuid: i.uuid,
    display_name: i.display_name,
    display_description: i.display_description,
    hostname: i.hostname,
    project_id: i.project_id,
    user_id: i.user_id,
    image_ref: i.image_ref,
    flavor: JSON.stringify({ cur: i.flavor, old: i.old_flavor, new: i.new_flavor }),
    vcpus: i.flavor.vcpus,
    memory_mb: i.flavor.memory_mb,
    vm_state: i.vm_state,
    task_state: i.task_state,
    power_state: i.power_state,
    host: i.host,
    node: i.node,
    availability_zone: i.availability_zone,
    reservation_id: i.reservation_id,
    launch_index: i.launch_index,
    key_name: i.key_name,
    config_drive: i.config_drive,
    access_ip_v4: i.access_ip_v4,
    access_ip_v6: i.access_ip_v6,
    metadata: JSON.stringify(i.metadata),
    system_metadata: JSON.stringify(i.system_metadata),
    user_data: i.user_data,
    locked: i.locked ? 1 : 0,
    locked_by: i.locked_by,
    progress: i.progress,
    hidden: i.hidden ? 1 : 0,
    launched_at: i.launched_at,
    terminated_at: i.terminated_at,
    created_at: i.created_at,
    updated_at: i.updated_at,
    deleted_at: null,
  };
}
