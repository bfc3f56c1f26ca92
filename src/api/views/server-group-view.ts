import type { ServerGroup } from '../../db/api/server-group-repo.js';
import { atLeast, type Microversion } from '../microversion.js';

/**
 * A server group as Nova shows it: its uuid as `id`; below 2.64 `policies` (a one-item list) and
 * an always-empty `metadata`, from 2.64 `policy` and `rules`; `project_id` and `user_id` from 2.13.
 * `members` are the ones the caller passes (the live ones).
 */
export function serverGroupView(mv: Microversion, group: ServerGroup): Record<string, unknown> {
  const body: Record<string, unknown> = { id: group.uuid, name: group.name };
  if (atLeast(mv, '2.64')) {
    body['policy'] = group.policy;
    body['rules'] = { ...group.rules };
  } else {
    body['policies'] = [group.policy];
    body['metadata'] = {};
  }
  body['members'] = [...group.members];
  if (atLeast(mv, '2.13')) {
    body['project_id'] = group.project_id;
    body['user_id'] = group.user_id;
  }
  return body;
}
