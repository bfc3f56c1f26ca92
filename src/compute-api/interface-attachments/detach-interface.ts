import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { attachmentTarget, startAttachmentAction } from '../servers/attachment-target.js';
import { INTERFACE_ATTACHMENT_VM_STATES } from './interface-attachment-states.js';

/**
 * DELETE /servers/{id}/os-interface/{port_id}, as Nova detaches an interface: checks the server
 * (policy, lock, state) and that it has the port, records the `detach_interface` action and calls
 * the server's compute, which unplugs the port and deletes it (if Nova created it) or unbinds it.
 *
 * @throws NotFoundError when the server has no interface on the port; ConflictError for its state.
 */
export async function detachInterfaceFromServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, portId: string): Promise<void> {
  const target = await attachmentTarget(deps, ctx, uuid, { policy: 'os_compute_api:os-attach-interfaces:delete', verb: 'detach_interface', vmStates: INTERFACE_ATTACHMENT_VM_STATES });
  if (!(await target.repos.vifs.list(uuid)).some((v) => v.uuid === portId)) {
    throw new NotFoundError('compute.port_not_found', `Port id ${portId} could not be found.`);
  }
  await startAttachmentAction(target, ctx, 'detach_interface');
  await deps.compute.detachInterface(ctx, target.host, { instance_uuid: uuid, port_id: portId });
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, port_id: portId, host: target.host }, 'interface detached from server');
}
