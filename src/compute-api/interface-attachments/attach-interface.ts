import { BadRequestError, TesseraError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { attachmentTarget, startAttachmentAction } from '../servers/attachment-target.js';
import { INTERFACE_ATTACHMENT_VM_STATES } from './interface-attachment-states.js';
import type { InterfaceAttachment } from './list-interface-attachments.js';

export interface AttachInterfaceRequest {
  portId?: string;
  networkId?: string;
  fixedIps?: { ip_address: string }[];
  tag?: string;
}

/**
 * POST /servers/{id}/os-interface, as Nova attaches an interface: checks the server (policy,
 * lock, state) and the request (a port or a network, an address only with a network; neither
 * means the one network the project can use), records the `attach_interface` action and calls
 * the server's compute, which creates or takes the port, binds and plugs it, and answers with it.
 *
 * @throws BadRequestError for a malformed request, no or several usable networks, or a network
 *   with no free address; NotFoundError for an unknown port or network; ConflictError for a port
 *   in use, an address in use, or the server's state.
 */
export async function attachInterfaceToServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, request: AttachInterfaceRequest): Promise<InterfaceAttachment> {
  const target = await attachmentTarget(deps, ctx, uuid, { policy: 'os_compute_api:os-attach-interfaces:create', verb: 'attach_interface', vmStates: INTERFACE_ATTACHMENT_VM_STATES });
  if (request.portId !== undefined && request.networkId !== undefined) {
    throw new BadRequestError('compute.invalid_interface_request', 'Must not input both network_id and port_id');
  }
  if (request.fixedIps !== undefined && request.networkId === undefined) {
    throw new BadRequestError('compute.invalid_interface_request', 'Must input network_id when request IP address');
  }
  const networkId = request.portId === undefined ? (request.networkId ?? (await onlyNetwork(deps, ctx, target.instance.project_id))) : null;
  await startAttachmentAction(target, ctx, 'attach_interface');
  try {
    const { port, tag } = await deps.compute.attachInterface(ctx, target.host, {
      instance_uuid: uuid,
      port_id: request.portId ?? null,
      network_id: networkId,
      fixed_ips: request.fixedIps ?? null,
      tag: request.tag ?? null,
    });
    deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, port_id: port.id, host: target.host }, 'interface attached to server');
    return { port, tag };
  } catch (err) {
    // Nova's NoMoreFixedIps is the user's problem (400), not a conflict.
    if (err instanceof TesseraError && err.code === 'network.ip_address_generation_failure') {
      throw new BadRequestError('compute.no_more_fixed_ips', `No fixed IP addresses available for network: ${String(networkId)}`, { cause: err });
    }
    throw err;
  }
}

/**
 * The network to use when none is named, as Nova picks it: the project's own networks and the
 * shared ones; exactly one must be there.
 */
async function onlyNetwork(deps: ComputeApiDeps, ctx: RequestContext, projectId: string): Promise<string> {
  const own = await deps.network.listNetworks(ctx, { projectId, shared: false });
  const shared = await deps.network.listNetworks(ctx, { shared: true });
  const ids = [...new Set([...own, ...shared].map((n) => n.id))];
  if (ids.length === 0) {
    throw new BadRequestError('compute.no_network', `No specific network was requested and none are available for project '${projectId}'.`);
  }
  if (ids.length > 1) {
    throw new BadRequestError('compute.network_ambiguous', 'More than one possible network found. Specify network ID(s) to select which one(s) to connect to.');
  }
  return ids[0] as string;
}
