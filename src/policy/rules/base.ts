import type { RuleDefault } from '../rule-default.js';

/**
 * The building blocks other rules refer to with `rule:NAME`, as in Nova's `policies/base.py`.
 * Operators usually change these in the policy file rather than each API rule.
 *
 * @example
 * // in policy.yaml: make the 'auditor' role admin too
 * // context_is_admin: "role:admin or role:auditor"
 */
export const baseRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'context_is_admin',
    checkStr: 'role:admin',
    description: "Decides who is an administrator, i.e. what makes the 'is_admin:True' check pass.",
  },
  {
    name: 'admin_api',
    checkStr: 'is_admin:True',
    description: 'Default rule for administrator-only APIs.',
  },
  {
    name: 'project_member_api',
    checkStr: 'role:member and project_id:%(project_id)s',
    description: 'Default rule for APIs that change resources of the caller\'s own project.',
  },
  {
    name: 'project_reader_api',
    checkStr: 'role:reader and project_id:%(project_id)s',
    description: 'Default rule for APIs that read resources of the caller\'s own project.',
  },
  {
    name: 'project_member_or_admin',
    checkStr: 'rule:project_member_api or rule:context_is_admin',
    description: 'A member of the owning project, or an administrator.',
  },
  {
    name: 'project_reader_or_admin',
    checkStr: 'rule:project_reader_api or rule:context_is_admin',
    description: 'A reader of the owning project, or an administrator.',
  },
  {
    name: 'admin_or_owner',
    checkStr: 'is_admin:True or project_id:%(project_id)s',
    description:
      'Legacy rule: an administrator or anyone scoped to the owning project, whatever their ' +
      'role. Kept for old policy files; new rules use project_member_or_admin.',
  },
];
