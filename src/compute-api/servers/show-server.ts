import type { RequestContext } from '../../common/request-context.js';
import type { Instance, InstanceFault } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';

export interface ShownServer {
  instance: Instance;
  fault: InstanceFault | undefined;
  tags: string[];
}

/** One server, its tags and, when it is in ERROR, its newest fault. */
export async function showServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<ShownServer> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:servers:show', ctx, { project_id: located.instance.project_id });
  if (located.kind === 'build_request') return { instance: located.instance, fault: undefined, tags: [...(located.instance.tags ?? [])].sort() };
  const fault = located.instance.vm_state === 'error' ? (await located.repos.faults.latestFor([uuid])).get(uuid) : undefined;
  return { instance: located.instance, fault, tags: await located.repos.tags.list(uuid) };
}
