import { boolOpt, intOpt } from '../option-schema.js';

const quota = (def: number, what: string) => intOpt(def, `Default limit on ${what}; -1 is unlimited.`, { min: -1 });

/**
 * [quota]: the default per-project limits (Nova's options and defaults). An administrator
 * overrides them per project with `PUT /os-quota-sets/{project_id}`.
 */
export const quotaOptions = {
  instances: quota(10, 'instances per project'),
  cores: quota(20, 'vCPUs per project'),
  ram: quota(51200, 'RAM (MiB) per project'),
  key_pairs: quota(100, 'key pairs per user'),
  server_groups: quota(10, 'server groups per project'),
  server_group_members: quota(10, 'servers of one user in each server group'),
  metadata_items: quota(128, 'metadata items per server (and per snapshot image below microversion 2.39)'),
  injected_files: quota(5, 'injected (personality) files per server; reported only, Tessera injects no files'),
  injected_file_content_bytes: quota(10240, 'bytes of each injected file; reported only'),
  injected_file_path_length: quota(255, 'characters of each injected file path; reported only'),
  recheck_quota: boolOpt(
    true,
    'Count again after creating a key pair or a server group, and undo the create when a concurrent request took the project past its limit (Nova\'s recheck).',
  ),
} as const;
