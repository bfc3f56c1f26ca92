import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:admin_api';

/**
 * Rules for the compute services API (`nova service-list` and friends), all admin-only because
 * it exposes hosts and lets the caller take them out of scheduling.
 *
 * @example
 * policy.authorize('os_compute_api:os-services:list', ctx, {});
 */
export const serviceRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-services:list',
    checkStr: ADMIN,
    description: 'List compute services',
    operations: [{ method: 'GET', path: '/os-services' }],
  },
  {
    name: 'os_compute_api:os-services:update',
    checkStr: ADMIN,
    description: 'Enable, disable or force down a compute service',
    operations: [
      { method: 'PUT', path: '/os-services/{service_id} (2.53+)' },
      // Before 2.53: /os-services/enable, /disable, /disable-log-reason and /force-down.
      { method: 'PUT', path: '/os-services/{action}' },
    ],
  },
  {
    name: 'os_compute_api:os-services:delete',
    checkStr: ADMIN,
    description: 'Delete a compute service',
    operations: [{ method: 'DELETE', path: '/os-services/{service_id}' }],
  },
];
