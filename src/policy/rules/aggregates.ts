import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:admin_api';
const AGGREGATE = '/os-aggregates/{aggregate_id}';

const rule = (action: string, description: string, method: string, path: string): RuleDefault => ({
  name: `os_compute_api:os-aggregates:${action}`,
  checkStr: ADMIN,
  description,
  operations: [{ method, path }],
});

/**
 * Rules for host aggregates, all admin-only as in Nova: aggregates expose hosts and decide where
 * servers may land (availability zones are aggregate metadata).
 *
 * @example
 * policy.authorize('os_compute_api:os-aggregates:add_host', ctx, {});
 */
export const aggregateRuleDefaults: readonly RuleDefault[] = [
  rule('index', 'List all aggregates', 'GET', '/os-aggregates'),
  rule('create', 'Create an aggregate', 'POST', '/os-aggregates'),
  rule('show', 'Show details for an aggregate', 'GET', AGGREGATE),
  rule('update', 'Update name and/or availability zone of an aggregate', 'PUT', AGGREGATE),
  rule('delete', 'Delete an aggregate', 'DELETE', AGGREGATE),
  rule('add_host', 'Add a host to an aggregate', 'POST', `${AGGREGATE}/action (add_host)`),
  rule('remove_host', 'Remove a host from an aggregate', 'POST', `${AGGREGATE}/action (remove_host)`),
  rule('set_metadata', 'Create or replace metadata for an aggregate', 'POST', `${AGGREGATE}/action (set_metadata)`),
];
