import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';
import { devicesOf, NO_DEVICES, type ServerDevices } from './server-devices.js';

export interface ServerUpdate {
  name?: string;
  description?: string | null;
  accessIPv4?: string;
  accessIPv6?: string;
}

/** PUT /servers/{id}: rename, or change the description; returns the server, its tags and devices. */
export async function updateServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, changes: ServerUpdate): Promise<{ instance: Instance; tags: string[]; devices: ServerDevices }> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:servers:update', ctx, { project_id: located.instance.project_id, user_id: located.instance.user_id });
  if (located.kind !== 'cell') throw new ConflictError('compute.instance_invalid_state', `Cannot 'update' instance ${uuid} while it is in vm_state building`);
  const instance = await located.repos.instances.update(uuid, {
    ...(changes.name !== undefined ? { display_name: changes.name } : {}),
    ...(changes.description !== undefined ? { display_description: changes.description } : {}),
  });
  return { instance, tags: await located.repos.tags.list(uuid), devices: (await devicesOf(located.repos, [uuid])).get(uuid) ?? NO_DEVICES };
}
