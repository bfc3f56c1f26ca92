import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import type { RequestedNetwork } from '../../objects/requested-network.js';
import type { GuestInterface } from '../../virt/index.js';
import { attachPort, type PortAttachmentDeps } from '../attachments/port-attachment.js';
import { releasePorts } from '../attachments/release-attachments.js';

/**
 * Gives a new instance its requested interfaces on this host (the network half of Nova's
 * _build_resources): for each request in order, a port created on the network for the instance's
 * project, or the user's port taken; each is bound to the instance and this host, recorded as a
 * virtual interface with its tag and added to the network info cache. The guest does not exist
 * yet: the driver plugs the returned interfaces when it spawns the guest.
 *
 * On failure the interfaces already given are released again (created ports deleted, the user's
 * unbound, with `releasePorts`) before the error is rethrown; one that cannot be released stays
 * recorded, so that a delete of the server finishes the work.
 *
 * @example
 * const vifs = await allocateNetworks(deps, ctx, instance, [{ network_id: net, port_id: null, fixed_ip: null, tag: 'nic1' }], log);
 * await driver.spawn({ ...spec, interfaces: vifs });
 */
export async function allocateNetworks(
  deps: PortAttachmentDeps,
  ctx: RequestContext,
  instance: Pick<Instance, 'uuid' | 'project_id' | 'availability_zone'>,
  requested: readonly RequestedNetwork[],
  log: Logger,
): Promise<GuestInterface[]> {
  const out: GuestInterface[] = [];
  try {
    for (const r of requested) {
      const { port } = await attachPort(deps, ctx, {
        instance,
        ...(r.port_id !== null ? { portId: r.port_id } : { networkId: r.network_id as string }),
        ...(r.fixed_ip !== null ? { fixedIps: [{ ip_address: r.fixed_ip }] } : {}),
        tag: r.tag,
        driverAttach: false,
      });
      out.push({ portId: port.id, macAddress: port.mac_address, networkId: port.network_id });
    }
  } catch (err) {
    await releasePorts(deps, ctx, instance.uuid, { driverDetach: false }).catch((e: unknown) => log.error({ err: e }, 'could not release the interfaces of a failed allocation; the server keeps them recorded'));
    throw err;
  }
  log.info({ ports: out.map((i) => i.portId) }, 'networks allocated');
  return out;
}
