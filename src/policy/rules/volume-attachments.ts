import type { RuleDefault } from '../rule-default.js';

const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';
const ATTACHMENTS = '/servers/{server_id}/os-volume_attachments';

function rule(name: string, checkStr: string, description: string, method: string, path: string): RuleDefault {
  return { name: `os_compute_api:os-volumes-attachments:${name}`, checkStr, description, operations: [{ method, path }] };
}

/**
 * Nova's defaults for a server's volume attachments: readers of the server's project list and
 * show them, members attach and detach. Targets carry the server's `project_id`.
 *
 * @example
 * policy.authorize('os_compute_api:os-volumes-attachments:create', ctx, { project_id: server.project_id });
 */
export const volumeAttachmentRuleDefaults: readonly RuleDefault[] = [
  rule('index', READER, 'List volume attachments for an instance', 'GET', ATTACHMENTS),
  rule('show', READER, 'Show details of a volume attachment', 'GET', `${ATTACHMENTS}/{volume_id}`),
  rule('create', MEMBER, 'Attach a volume to an instance', 'POST', ATTACHMENTS),
  rule('delete', MEMBER, 'Detach a volume from an instance', 'DELETE', `${ATTACHMENTS}/{volume_id}`),
];
