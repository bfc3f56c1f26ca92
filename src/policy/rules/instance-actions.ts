import type { RuleDefault } from '../rule-default.js';

const ACTIONS = '/servers/{server_id}/os-instance-actions';
const ONE = `${ACTIONS}/{request_id}`;

/**
 * Nova's defaults for instance actions: readers of the server's project (and administrators) list
 * and show them; the events' traceback and host, and their `details` (2.84), are for
 * administrators, as they may reveal how the deployment is built. Targets carry the server's
 * `project_id`.
 *
 * @example
 * policy.authorize('os_compute_api:os-instance-actions:list', ctx, { project_id: server.project_id });
 */
export const instanceActionRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'os_compute_api:os-instance-actions:events:details',
    checkStr: 'rule:admin_api',
    description: 'Add the "details" of each event to an action of a server (2.84+); checked after os-instance-actions:show passed',
    operations: [{ method: 'GET', path: ONE }],
  },
  {
    name: 'os_compute_api:os-instance-actions:events',
    checkStr: 'rule:admin_api',
    description:
      'Show the events of an action of a server with their traceback at every microversion, and their host from 2.62. ' +
      'Without it, events are shown from 2.51 on, without traceback or host; checked after os-instance-actions:show passed',
    operations: [{ method: 'GET', path: ONE }],
  },
  {
    name: 'os_compute_api:os-instance-actions:list',
    checkStr: 'rule:project_reader_or_admin',
    description: 'List the actions of a server',
    operations: [{ method: 'GET', path: ACTIONS }],
  },
  {
    name: 'os_compute_api:os-instance-actions:show',
    checkStr: 'rule:project_reader_or_admin',
    description: 'Show one action of a server',
    operations: [{ method: 'GET', path: ONE }],
  },
];
