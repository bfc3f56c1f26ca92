import type { RuleDefault } from '../rule-default.js';

const SET = '/os-quota-sets/{tenant_id}';

/**
 * Nova's rules for quota sets. Targets carry the `project_id` of the quota set addressed, so a
 * project's readers see their own limits; changing or resetting them is for administrators, and
 * anyone may read the defaults.
 *
 * @example
 * policy.authorize('os_compute_api:os-quota-sets:show', ctx, { project_id: projectId });
 */
export const quotaSetRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-quota-sets:update',
    checkStr: 'rule:admin_api',
    description: 'Update the quotas',
    operations: [{ method: 'PUT', path: SET }],
  },
  {
    name: 'os_compute_api:os-quota-sets:defaults',
    checkStr: '@',
    description: 'List default quotas',
    operations: [{ method: 'GET', path: `${SET}/defaults` }],
  },
  {
    name: 'os_compute_api:os-quota-sets:show',
    checkStr: 'rule:project_reader_or_admin',
    description: 'Show a quota',
    operations: [{ method: 'GET', path: SET }],
  },
  {
    name: 'os_compute_api:os-quota-sets:delete',
    checkStr: 'rule:admin_api',
    description: 'Revert quotas to defaults',
    operations: [{ method: 'DELETE', path: SET }],
  },
  {
    name: 'os_compute_api:os-quota-sets:detail',
    checkStr: 'rule:project_reader_or_admin',
    description: 'Show the detail of quota',
    operations: [{ method: 'GET', path: `${SET}/detail` }],
  },
];
