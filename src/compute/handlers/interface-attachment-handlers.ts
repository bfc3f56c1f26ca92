import type { RequestContext } from '../../common/request-context.js';
import type { AttachInterfaceArgs, AttachInterfaceResult, DetachInterfaceArgs } from '../../rpc/contracts/compute-rpc.js';
import { attachPort, detachPort, type PortAttachmentDeps } from '../attachments/port-attachment.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { notifyInstance } from '../notify-instance.js';
import { recordFailure } from '../record-failure.js';

function portDeps(deps: HandlerDeps): PortAttachmentDeps {
  return { host: deps.host, vifs: deps.repos.vifs, network: deps.network, driver: deps.driver, locks: deps.locks, logger: deps.logger };
}

/**
 * `attach_interface` (a call, as in Nova): attaches the user's port or a new port on the network
 * and answers with the port. Event `compute_attach_interface`; a failure is undone, recorded as
 * an instance fault without changing the instance's state, and returned to the API.
 */
export async function attachInterfaceHandler(deps: HandlerDeps, ctx: RequestContext, args: AttachInterfaceArgs): Promise<AttachInterfaceResult> {
  const uuid = args.instance_uuid;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, host: deps.host });
  try {
    const instance = await deps.repos.instances.get(uuid);
    return await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, 'compute_attach_interface', async () => {
      await notifyInstance(deps, ctx, uuid, 'interface_attach', 'start');
      const { port, vif } = await attachPort(portDeps(deps), ctx, {
        instance,
        ...(args.port_id === null ? {} : { portId: args.port_id }),
        ...(args.network_id === null ? {} : { networkId: args.network_id }),
        ...(args.fixed_ips === null ? {} : { fixedIps: args.fixed_ips }),
        tag: args.tag,
      });
      await notifyInstance(deps, ctx, uuid, 'interface_attach', 'end');
      return { port, tag: vif.tag };
    });
  } catch (err) {
    await recordFailure(deps, log, uuid, err, {});
    await notifyInstance(deps, ctx, uuid, 'interface_attach', 'error', err);
    throw err;
  }
}

/** `detach_interface` (a call): detaches the port; event `compute_detach_interface`, a fault on failure. */
export async function detachInterfaceHandler(deps: HandlerDeps, ctx: RequestContext, args: DetachInterfaceArgs): Promise<void> {
  const uuid = args.instance_uuid;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, port_id: args.port_id, host: deps.host });
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, 'compute_detach_interface', async () => {
      await notifyInstance(deps, ctx, uuid, 'interface_detach', 'start');
      await detachPort(portDeps(deps), ctx, { instanceUuid: uuid, portId: args.port_id });
      await notifyInstance(deps, ctx, uuid, 'interface_detach', 'end');
    });
  } catch (err) {
    await recordFailure(deps, log, uuid, err, {});
    throw err;
  }
}
