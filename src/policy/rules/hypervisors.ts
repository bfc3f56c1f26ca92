import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:admin_api';
const HYPERVISORS = '/os-hypervisors';

const rule = (action: string, description: string, path: string): RuleDefault => ({
  name: `os_compute_api:os-hypervisors:${action}`,
  checkStr: ADMIN,
  description,
  operations: [{ method: 'GET', path }],
});

/**
 * Rules for the hypervisors API, all admin-only as in Nova: it exposes hosts, their capacity and
 * usage, and which servers run where.
 *
 * @example
 * policy.authorize('os_compute_api:os-hypervisors:list-detail', ctx, {});
 */
export const hypervisorRuleDefaults: readonly RuleDefault[] = [
  rule('list', 'List all hypervisors', HYPERVISORS),
  rule('list-detail', 'List all hypervisors with details', `${HYPERVISORS}/detail`),
  rule('statistics', 'Show summary statistics for all hypervisors over all compute nodes (before 2.88)', `${HYPERVISORS}/statistics`),
  rule('show', 'Show details for a hypervisor', `${HYPERVISORS}/{hypervisor_id}`),
  rule('uptime', 'Show the uptime of a hypervisor (before 2.88)', `${HYPERVISORS}/{hypervisor_id}/uptime`),
  rule('search', 'Search hypervisors by hypervisor_hostname pattern (before 2.53)', `${HYPERVISORS}/{hypervisor_hostname_pattern}/search`),
  rule('servers', 'List the servers on hypervisors matching a hostname pattern (before 2.53)', `${HYPERVISORS}/{hypervisor_hostname_pattern}/servers`),
];
