import type { RuleDefault } from '../rule-default.js';

const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';
const INTERFACES = '/servers/{server_id}/os-interface';

function rule(name: string, checkStr: string, description: string, method: string, path: string): RuleDefault {
  return { name: `os_compute_api:os-attach-interfaces:${name}`, checkStr, description, operations: [{ method, path }] };
}

/**
 * Nova's defaults for a server's port interfaces: readers of the server's project list and show
 * them, members attach and detach. Targets carry the server's `project_id`.
 *
 * @example
 * policy.authorize('os_compute_api:os-attach-interfaces:create', ctx, { project_id: server.project_id });
 */
export const attachInterfaceRuleDefaults: readonly RuleDefault[] = [
  rule('list', READER, 'List port interfaces attached to a server', 'GET', INTERFACES),
  rule('show', READER, 'Show details of a port interface attached to a server', 'GET', `${INTERFACES}/{port_id}`),
  rule('create', MEMBER, 'Attach an interface to a server', 'POST', INTERFACES),
  rule('delete', MEMBER, 'Detach an interface from a server', 'DELETE', `${INTERFACES}/{port_id}`),
];
