import { intOpt, stringOpt } from '../option-schema.js';

const quota = (def: number, what: string) =>
  intOpt(def, `Default limit on ${what} per project; -1 is unlimited (Cinder's [DEFAULT] option of the same name).`, { min: -1 });

/**
 * [cinder]: the built-in volume service (Tessera). Beside the database URL, the options carry
 * the names Cinder gives them in its own `[DEFAULT]` section.
 */
export const cinderOptions = {
  connection: stringOpt('sqlite:///{state_path}/volume.sqlite', 'URL of the volume database (Tessera).'),
  storage_availability_zone: stringOpt('nova', 'Availability zone of every volume; the only zone a volume can be created in.'),
  quota_volumes: quota(10, 'volumes'),
  quota_gigabytes: quota(1000, 'gigabytes of volumes'),
  quota_snapshots: quota(10, 'volume snapshots (reported by /limits; Tessera has no snapshots yet)'),
  quota_backups: quota(10, 'volume backups (reported by /limits; Tessera has no backups yet)'),
  quota_backup_gigabytes: quota(1000, 'gigabytes of backups (reported by /limits; Tessera has no backups yet)'),
  per_volume_size_limit: intOpt(-1, 'Largest size in GB of one volume; -1 is unlimited.', { min: -1 }),
} as const;
