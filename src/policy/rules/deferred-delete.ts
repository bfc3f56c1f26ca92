import type { RuleDefault } from '../rule-default.js';

const MEMBER = 'rule:project_member_or_admin';

/**
 * Nova's defaults for the actions on soft-deleted servers (`reclaim_instance_interval` > 0):
 * members of the server's project restore or force-delete them. Targets carry the server's
 * `project_id` (and `user_id` for force).
 *
 * @example
 * policy.authorize('os_compute_api:os-deferred-delete:restore', ctx, { project_id: server.project_id });
 */
export const deferredDeleteRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-deferred-delete:restore', checkStr: MEMBER, description: 'Restore a soft deleted server',
    operations: [{ method: 'POST', path: '/servers/{server_id}/action (restore)' }],
  },
  {
    name: 'os_compute_api:os-deferred-delete:force', checkStr: MEMBER, description: 'Force delete a server before deferred cleanup',
    operations: [{ method: 'POST', path: '/servers/{server_id}/action (forceDelete)' }],
  },
];
