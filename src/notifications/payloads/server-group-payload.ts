import type { RequestSpecInstanceGroup } from '../../objects/request-spec.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** ServerGroupPayload 1.1. */
export interface ServerGroupPayloadData {
  uuid: string;
  name: string | null;
  user_id: string | null;
  project_id: string | null;
  /** The deprecated list form of `policy`, which Nova still fills. */
  policies: string[] | null;
  members: string[] | null;
  hosts: string[] | null;
  policy: string | null;
  rules: Record<string, string>;
}

export type ServerGroupPayload = VersionedObject<ServerGroupPayloadData>;

/** The group as the request spec carries it; its name and owner are not in it (null). */
export function serverGroupPayload(group: RequestSpecInstanceGroup): ServerGroupPayload {
  const rules: Record<string, string> = {};
  for (const [key, value] of Object.entries(group.rules)) if (value !== undefined) rules[key] = String(value);
  return versionedObject('ServerGroupPayload', '1.1', {
    uuid: group.uuid,
    name: null,
    user_id: null,
    project_id: null,
    policies: [group.policy],
    members: [...group.members],
    hosts: [...group.hosts],
    policy: group.policy,
    rules,
  });
}
