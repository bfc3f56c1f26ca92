import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:admin_api';
const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';

type Operation = { method: string; path: string };

const op = (method: string, path: string): Operation => ({ method, path });
const action = (name: string): Operation => op('POST', `/servers/{server_id}/action (${name})`);
const SERVER = '/servers/{server_id}';
// Nova shows these optional attributes wherever a full server comes back.
const serverViews = (): Operation[] => [
  op('GET', SERVER),
  op('GET', '/servers/detail'),
  op('PUT', SERVER),
  action('rebuild'),
];

function rule(
  name: string,
  checkStr: string,
  description: string,
  operations: Operation[],
): RuleDefault {
  return { name, checkStr, description, operations };
}

/**
 * Nova's default rules for servers and the server actions Tessera implements. Targets carry
 * the server's `project_id` (and `user_id`), so project members act only on their own servers.
 *
 * @example
 * policy.authorize('os_compute_api:servers:delete', ctx, { project_id: server.projectId });
 */
export const serverRuleDefaults: readonly RuleDefault[] = [
  rule('os_compute_api:servers:index', READER, 'List servers', [op('GET', '/servers')]),
  rule('os_compute_api:servers:detail', READER, 'List servers with details', [
    op('GET', '/servers/detail'),
  ]),
  rule('os_compute_api:servers:index:get_all_tenants', ADMIN, 'List servers of all projects', [
    op('GET', '/servers'),
  ]),
  rule(
    'os_compute_api:servers:detail:get_all_tenants',
    ADMIN,
    'List servers of all projects with details',
    [op('GET', '/servers/detail')],
  ),
  rule(
    'os_compute_api:servers:allow_all_filters',
    ADMIN,
    'Use every filter when listing servers; others are limited to a safe subset',
    [op('GET', '/servers'), op('GET', '/servers/detail')],
  ),
  rule('os_compute_api:servers:show', READER, 'Show a server', [op('GET', SERVER)]),
  rule(
    'os_compute_api:servers:show:host_status',
    ADMIN,
    'Include the status of the server\'s host in responses (2.16+)',
    serverViews(),
  ),
  rule(
    'os_compute_api:extended_server_attributes',
    ADMIN,
    'Include the OS-EXT-SRV-ATTR attributes (host, hypervisor name, ...) of a server',
    serverViews(),
  ),
  rule('os_compute_api:servers:create', MEMBER, 'Create a server', [op('POST', '/servers')]),
  rule(
    'os_compute_api:servers:create:forced_host',
    ADMIN,
    'Create a server on a given host or node, bypassing the scheduler',
    [op('POST', '/servers')],
  ),
  rule(
    'os_compute_api:servers:create:requested_destination',
    ADMIN,
    'Create a server on a given host or node, still checked by the scheduler (2.74+)',
    [op('POST', '/servers')],
  ),
  rule(
    'os_compute_api:servers:create:attach_volume',
    MEMBER,
    'Create a server with block device mappings (volumes to attach, or to create from an image)',
    [op('POST', '/servers')],
  ),
  rule(
    'os_compute_api:servers:create:attach_network',
    MEMBER,
    'Create a server with a list of networks or ports',
    [op('POST', '/servers')],
  ),
  rule('os_compute_api:servers:update', MEMBER, 'Update a server', [op('PUT', SERVER)]),
  rule('os_compute_api:servers:delete', MEMBER, 'Delete a server', [op('DELETE', SERVER)]),
  rule('os_compute_api:servers:start', MEMBER, 'Start a server', [action('os-start')]),
  rule('os_compute_api:servers:stop', MEMBER, 'Stop a server', [action('os-stop')]),
  rule('os_compute_api:servers:reboot', MEMBER, 'Reboot a server', [action('reboot')]),
  rule('os_compute_api:servers:create_image', MEMBER, 'Create an image (snapshot) from a server', [action('createImage')]),
  rule(
    'compute:servers:resize:cross_cell',
    '!',
    'Resize a server to a host in another cell. Off for everyone by default, as in Nova: ' +
      'try it with administrators before opening it to projects.',
    [action('resize')],
  ),
  rule('os_compute_api:servers:resize', MEMBER, 'Resize a server', [action('resize')]),
  rule('os_compute_api:servers:confirm_resize', MEMBER, 'Confirm a server resize', [
    action('confirmResize'),
  ]),
  rule('os_compute_api:servers:revert_resize', MEMBER, 'Revert a server resize', [
    action('revertResize'),
  ]),
  rule(
    'os_compute_api:os-migrate-server:migrate',
    ADMIN,
    'Cold migrate a server, letting the scheduler pick the host',
    [action('migrate')],
  ),
  rule(
    'os_compute_api:os-migrate-server:migrate:host',
    ADMIN,
    'Cold migrate a server to a given host (2.56+)',
    [action('migrate')],
  ),
];
