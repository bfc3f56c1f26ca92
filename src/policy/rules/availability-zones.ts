import type { RuleDefault } from '../rule-default.js';

/**
 * Rules for availability zones. Any authenticated user may list zone names (they need them to
 * boot servers); the detailed view shows hosts and services, so it is admin-only.
 *
 * @example
 * policy.authorize('os_compute_api:os-availability-zone:list', ctx, {});
 */
export const availabilityZoneRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-availability-zone:list',
    checkStr: '@',
    description: 'List availability zones and whether they are available',
    operations: [{ method: 'GET', path: '/os-availability-zone' }],
  },
  {
    name: 'os_compute_api:os-availability-zone:detail',
    checkStr: 'rule:admin_api',
    description: 'List availability zones with their hosts and services',
    operations: [{ method: 'GET', path: '/os-availability-zone/detail' }],
  },
];
