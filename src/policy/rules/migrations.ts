import type { RuleDefault } from '../rule-default.js';

/**
 * Nova's default for `GET /os-migrations`: administrators only, since migrations name hosts and
 * show every project's moves.
 *
 * @example
 * policy.authorize('os_compute_api:os-migrations:index', ctx, {});
 */
export const migrationRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-migrations:index',
    checkStr: 'rule:admin_api',
    description: 'List migrations',
    operations: [{ method: 'GET', path: '/os-migrations' }],
  },
];
