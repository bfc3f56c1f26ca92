import type { RuleDefault } from '../rule-default.js';

const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';
const TAGS = '/servers/{server_id}/tags';

function rule(name: string, checkStr: string, description: string, method: string, path: string): RuleDefault {
  return { name: `os_compute_api:os-server-tags:${name}`, checkStr, description, operations: [{ method, path }] };
}

/**
 * Nova's defaults for server tags (2.26+): members of the server's project change them, readers
 * see them. Targets carry the server's `project_id`.
 *
 * @example
 * policy.authorize('os_compute_api:os-server-tags:update', ctx, { project_id: server.project_id });
 */
export const serverTagRuleDefaults: readonly RuleDefault[] = [
  rule('index', READER, 'List all tags of a server', 'GET', TAGS),
  rule('show', READER, 'Check whether a server has a tag', 'GET', `${TAGS}/{tag}`),
  rule('update', MEMBER, 'Add one tag to a server', 'PUT', `${TAGS}/{tag}`),
  rule('update_all', MEMBER, 'Replace all tags of a server', 'PUT', TAGS),
  rule('delete', MEMBER, 'Delete one tag of a server', 'DELETE', `${TAGS}/{tag}`),
  rule('delete_all', MEMBER, 'Delete all tags of a server', 'DELETE', TAGS),
];
