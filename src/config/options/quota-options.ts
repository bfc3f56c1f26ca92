import { intOpt } from '../option-schema.js';

const quota = (def: number, what: string) => intOpt(def, `Default limit on ${what}; -1 is unlimited.`, { min: -1 });

/** [quota]: default per-project limits. */
export const quotaOptions = {
  instances: quota(10, 'instances per project'),
  cores: quota(20, 'vCPUs per project'),
  ram: quota(51200, 'RAM (MiB) per project'),
  key_pairs: quota(100, 'key pairs per user'),
  server_groups: quota(10, 'server groups per project'),
  server_group_members: quota(10, 'servers in each server group'),
  metadata_items: quota(128, 'metadata items per server'),
} as const;
