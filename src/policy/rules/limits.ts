import type { RuleDefault } from '../rule-default.js';

/**
 * Nova's rules for `GET /limits`: anyone sees their own project's limits and usage; another
 * project's (`?tenant_id=`) is for administrators.
 *
 * @example
 * policy.authorize('os_compute_api:limits', ctx, {});
 */
export const limitRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:limits',
    checkStr: '@',
    description: 'Show rate and absolute limits for the current user project',
    operations: [{ method: 'GET', path: '/limits' }],
  },
  {
    name: 'os_compute_api:limits:other_project',
    checkStr: 'rule:admin_api',
    description: 'Show rate and absolute limits of another project (`?tenant_id=`)',
    operations: [{ method: 'GET', path: '/limits' }],
  },
];
