import type { RuleDefault } from '../rule-default.js';

const GROUPS = '/os-server-groups';
const GROUP = `${GROUPS}/{server_group_id}`;

/**
 * Rules for server groups. Targets carry the group's `project_id` (the caller's own for list and
 * create), so members manage their own project's groups; listing every project's groups
 * (`?all_projects`) is for administrators.
 *
 * @example
 * policy.authorize('os_compute_api:os-server-groups:show', ctx, { project_id: group.project_id });
 */
export const serverGroupRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-server-groups:create',
    checkStr: 'rule:project_member_or_admin',
    description: 'Create a new server group',
    operations: [{ method: 'POST', path: GROUPS }],
  },
  {
    name: 'os_compute_api:os-server-groups:delete',
    checkStr: 'rule:project_member_or_admin',
    description: 'Delete a server group',
    operations: [{ method: 'DELETE', path: GROUP }],
  },
  {
    name: 'os_compute_api:os-server-groups:index',
    checkStr: 'rule:project_reader_or_admin',
    description: 'List all server groups',
    operations: [{ method: 'GET', path: GROUPS }],
  },
  {
    name: 'os_compute_api:os-server-groups:index:all_projects',
    checkStr: 'rule:admin_api',
    description: 'List all server groups for all projects',
    operations: [{ method: 'GET', path: GROUPS }],
  },
  {
    name: 'os_compute_api:os-server-groups:show',
    checkStr: 'rule:project_reader_or_admin',
    description: 'Show details of a server group',
    operations: [{ method: 'GET', path: GROUP }],
  },
];
