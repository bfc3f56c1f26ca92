import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import { policyNotAuthorized } from './neutron-errors.js';
import type { NetworkRecord } from './network-record.js';
import type { NetworkViewer } from './network-viewer.js';

/** What the network rules look at: the resource's project, its network's owner and sharing. */
export type PolicyTarget = Readonly<{
  project_id: string;
  network_project_id: string;
  shared: boolean;
  router_external: boolean;
  network_device?: boolean;
}>;

/** The target of a resource of `projectId` on `network` (the network itself when projectId is its own). */
export function targetOn(network: Pick<NetworkRecord, 'project_id' | 'shared' | 'router_external'>, projectId = network.project_id, deviceOwner?: string): PolicyTarget {
  return {
    project_id: projectId,
    network_project_id: network.project_id,
    shared: network.shared,
    router_external: network.router_external,
    ...(deviceOwner === undefined ? {} : { network_device: deviceOwner.startsWith('network:') }),
  };
}

/** Throws Neutron's 403 PolicyNotAuthorized unless the rule allows the request. */
export function authorize(policy: PolicyEngine, rule: string, ctx: RequestContext, target: PolicyTarget): void {
  if (!policy.check(rule, ctx, target)) throw policyNotAuthorized(rule);
}

export function viewerOf(ctx: RequestContext): NetworkViewer {
  return { projectId: ctx.projectId, isAdmin: ctx.isAdmin };
}
