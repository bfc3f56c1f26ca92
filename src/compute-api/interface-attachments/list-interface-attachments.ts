import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { PortView } from '../../network/index.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from '../servers/instance-locator.js';

const POLICY = 'os_compute_api:os-attach-interfaces';

/** A port of the server with the tag of its virtual interface (null when it has none). */
export interface InterfaceAttachment {
  port: PortView;
  tag: string | null;
}

/**
 * GET /servers/{id}/os-interface: the ports whose device is the server, as the network service
 * shows them to the caller (Nova lists them from Neutron), with the tags of the server's virtual
 * interfaces. A server still being scheduled has none.
 */
export async function listInterfaceAttachments(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<InterfaceAttachment[]> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(`${POLICY}:list`, ctx, { project_id: located.instance.project_id });
  if (located.kind !== 'cell') return [];
  const ports = await deps.network.listPorts(ctx, { deviceIds: [uuid] });
  const tags = new Map((await located.repos.vifs.list(uuid)).map((v) => [v.uuid, v.tag]));
  return ports.map((port) => ({ port, tag: tags.get(port.id) ?? null }));
}

/** GET /servers/{id}/os-interface/{port_id}: @throws NotFoundError for a missing port or one of another device. */
export async function showInterfaceAttachment(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, portId: string): Promise<InterfaceAttachment> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(`${POLICY}:show`, ctx, { project_id: located.instance.project_id });
  const port = await deps.network.getPort(ctx, portId);
  if (port.device_id !== uuid) throw new NotFoundError('compute.port_not_attached', `Instance ${uuid} does not have a port with id ${portId}`);
  const vif = located.kind === 'cell' ? (await located.repos.vifs.list(uuid)).find((v) => v.uuid === portId) : undefined;
  return { port, tag: vif?.tag ?? null };
}
