import type { RequestContext } from '../../common/request-context.js';
import type { Instance, InstanceFault } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';
import { devicesOf, NO_DEVICES, type ServerDevices } from './server-devices.js';

export interface ShownServer {
  instance: Instance;
  fault: InstanceFault | undefined;
  tags: string[];
  devices: ServerDevices;
}

/** One server, its tags, its devices (addresses, volumes) and, when it is in ERROR, its newest fault. */
export async function showServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<ShownServer> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:servers:show', ctx, { project_id: located.instance.project_id });
  if (located.kind === 'build_request') return { instance: located.instance, fault: undefined, tags: [...(located.instance.tags ?? [])].sort(), devices: NO_DEVICES };
  const fault = located.instance.vm_state === 'error' ? (await located.repos.faults.latestFor([uuid])).get(uuid) : undefined;
  const devices = (await devicesOf(located.repos, [uuid])).get(uuid) ?? NO_DEVICES;
  return { instance: located.instance, fault, tags: await located.repos.tags.list(uuid), devices };
}
