import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:admin_api';
const READER = 'rule:project_reader_or_admin';
const FLAVOR = '/flavors/{flavor_id}';
const EXTRA_SPECS = `${FLAVOR}/os-extra_specs`;
const EXTRA_SPEC = `${EXTRA_SPECS}/{flavor_extra_spec_key}`;

/**
 * Rules for flavors and their extra specs. Flavor management is admin-only; Nova puts no policy
 * on listing or showing flavors, but Tessera checks every API, so `os_compute_api:flavors:index`
 * (a Tessera name, not Nova's) allows any authenticated caller. Flavor access lists of private
 * flavors are applied by the flavor API, not by this rule.
 *
 * @example
 * policy.authorize('os_compute_api:os-flavor-manage:create', ctx, {});
 */
export const flavorRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:flavors:index',
    checkStr: '@',
    description: 'List and show flavors: any authenticated user (Tessera rule; none in Nova)',
    operations: [
      { method: 'GET', path: '/flavors' },
      { method: 'GET', path: '/flavors/detail' },
    ],
  },
  {
    name: 'os_compute_api:os-flavor-manage:create',
    checkStr: ADMIN,
    description: 'Create a flavor',
    operations: [{ method: 'POST', path: '/flavors' }],
  },
  {
    name: 'os_compute_api:os-flavor-manage:update',
    checkStr: ADMIN,
    description: 'Update a flavor description (2.55+)',
    operations: [{ method: 'PUT', path: FLAVOR }],
  },
  {
    name: 'os_compute_api:os-flavor-manage:delete',
    checkStr: ADMIN,
    description: 'Delete a flavor',
    operations: [{ method: 'DELETE', path: FLAVOR }],
  },
  {
    name: 'os_compute_api:os-flavor-extra-specs:index',
    checkStr: READER,
    description: 'List the extra specs of a flavor',
    operations: [{ method: 'GET', path: EXTRA_SPECS }],
  },
  {
    name: 'os_compute_api:os-flavor-extra-specs:show',
    checkStr: READER,
    description: 'Show one extra spec of a flavor',
    operations: [{ method: 'GET', path: EXTRA_SPEC }],
  },
  {
    name: 'os_compute_api:os-flavor-extra-specs:create',
    checkStr: ADMIN,
    description: 'Create or replace extra specs of a flavor',
    operations: [{ method: 'POST', path: EXTRA_SPECS }],
  },
  {
    name: 'os_compute_api:os-flavor-extra-specs:update',
    checkStr: ADMIN,
    description: 'Update one extra spec of a flavor',
    operations: [{ method: 'PUT', path: EXTRA_SPEC }],
  },
  {
    name: 'os_compute_api:os-flavor-extra-specs:delete',
    checkStr: ADMIN,
    description: 'Delete one extra spec of a flavor',
    operations: [{ method: 'DELETE', path: EXTRA_SPEC }],
  },
];
