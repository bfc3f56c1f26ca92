import type { RuleDefault } from '../rule-default.js';

const OWNER_OR_ADMIN = 'rule:admin_api or user_id:%(user_id)s';

/**
 * Nova's rules for key pairs, which belong to a user rather than a project: targets carry the
 * `user_id` whose key pairs are addressed (the caller's own unless an administrator names
 * another with `user_id`, 2.10+).
 *
 * @example
 * policy.authorize('os_compute_api:os-keypairs:show', ctx, { user_id: userId });
 */
export const keyPairRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-keypairs:index',
    checkStr: OWNER_OR_ADMIN,
    description: 'List all keypairs',
    operations: [{ method: 'GET', path: '/os-keypairs' }],
  },
  {
    name: 'os_compute_api:os-keypairs:create',
    checkStr: OWNER_OR_ADMIN,
    description: 'Create a keypair',
    operations: [{ method: 'POST', path: '/os-keypairs' }],
  },
  {
    name: 'os_compute_api:os-keypairs:delete',
    checkStr: OWNER_OR_ADMIN,
    description: 'Delete a keypair',
    operations: [{ method: 'DELETE', path: '/os-keypairs/{keypair_name}' }],
  },
  {
    name: 'os_compute_api:os-keypairs:show',
    checkStr: OWNER_OR_ADMIN,
    description: 'Show details of a keypair',
    operations: [{ method: 'GET', path: '/os-keypairs/{keypair_name}' }],
  },
];
