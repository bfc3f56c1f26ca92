import type { Logger } from '../../common/logger.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import type { GuestInterface, GuestVolume } from '../../virt/index.js';
import type { HandlerDeps } from '../handler-deps.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/**
 * Brings the instance's volumes to this host, as Nova's compute does at the end of a move (and
 * on its revert): for each volume whose attachment is not already connected here, a new
 * attachment is made for this host (connected and completed), the mapping points at it, and only
 * then are the others deleted (the old one, and any an earlier failed attempt left), so the volume
 * is never left without an attachment to the instance. Volumes already connected to this host (a
 * same-host resize) keep their attachment.
 *
 * @returns the volumes as the driver wants them to build the guest here.
 */
export async function connectVolumesHere(
  deps: Pick<HandlerDeps, 'host' | 'repos' | 'volumes'>,
  ctx: RequestContext,
  instanceUuid: string,
  log: Logger,
  options: { keepOthers?: boolean } = {},
): Promise<GuestVolume[]> {
  const out: GuestVolume[] = [];
  for (const bdm of await deps.repos.bdms.list(instanceUuid)) {
    if (bdm.destination_type !== 'volume' || bdm.volume_id === null) continue;
    // An attachment of the instance already connected here (a same-host move, or the source's own
    // when a failed move comes back) is used again rather than doubled.
    const existing = await deps.volumes.attachmentList(ctx, { instanceUuid, volumeId: bdm.volume_id });
    const here = existing.find((a) => a.host === deps.host && a.status === 'attached' && a.connectionInfo !== null);
    if (here?.connectionInfo != null) {
      if (bdm.attachment_id !== here.id) await deps.repos.bdms.update(bdm.uuid, { attachment_id: here.id, connection_info: { ...here.connectionInfo } });
      out.push({ volumeId: bdm.volume_id, mountpoint: bdm.device_name ?? '/dev/vda', connectionInfo: here.connectionInfo });
      if (options.keepOthers !== true) await dropOtherAttachments(deps, ctx, instanceUuid, bdm.volume_id, here.id);
      continue;
    }
    // An attachment reserved for this host by the conductor (a cross-cell move) is the one to connect.
    const reserved = existing.find((a) => a.id === bdm.attachment_id && a.host === null);
    const fresh = reserved ?? (await deps.volumes.attachmentCreate(ctx, bdm.volume_id, instanceUuid));
    let connectionInfo: GuestVolume['connectionInfo'];
    try {
      const connected = await deps.volumes.attachmentUpdate(ctx, fresh.id, { host: deps.host, mountpoint: bdm.device_name ?? '/dev/vda', mode: 'rw' });
      await deps.volumes.attachmentComplete(ctx, fresh.id);
      connectionInfo = connected.connectionInfo ?? { driver_volume_type: 'fake', data: {} };
      await deps.repos.bdms.update(bdm.uuid, { attachment_id: fresh.id, connection_info: { ...connectionInfo } });
    } catch (err) {
      // A new attachment that never served goes: the old one (still in the mapping) keeps the volume.
      if (reserved === undefined) await deps.volumes.attachmentDelete(ctx, fresh.id).catch((e: unknown) => log.error({ err: e, attachment_id: fresh.id }, 'could not delete an unused attachment'));
      throw err;
    }
    out.push({ volumeId: bdm.volume_id, mountpoint: bdm.device_name ?? '/dev/vda', connectionInfo });
    if (options.keepOthers !== true) await dropOtherAttachments(deps, ctx, instanceUuid, bdm.volume_id, fresh.id);
    log.info({ volume_id: bdm.volume_id, attachment_id: fresh.id, previous_attachment_id: bdm.attachment_id }, 'volume connected to this host for the move');
  }
  return out;
}

/**
 * Binds the instance's ports to this host (Nova's migrate_instance_finish with port binding) and
 * returns them as the driver plugs them.
 */
export async function bindPortsHere(deps: Pick<HandlerDeps, 'host' | 'repos' | 'network'>, ctx: RequestContext, instanceUuid: string): Promise<GuestInterface[]> {
  const out: GuestInterface[] = [];
  const admin = elevated(ctx);
  for (const vif of await deps.repos.vifs.list(instanceUuid)) {
    // A binding made for this host beforehand (a cross-cell move) is activated; otherwise the port's host changes.
    const bindings = await deps.network.listPortBindings(admin, vif.uuid);
    const mine = bindings.find((b) => b.host === deps.host);
    if (mine !== undefined && mine.status !== 'ACTIVE') await deps.network.activatePortBinding(admin, vif.uuid, deps.host);
    const port = mine !== undefined ? await deps.network.getPort(admin, vif.uuid) : await deps.network.updatePort(admin, vif.uuid, { 'binding:host_id': deps.host });
    out.push({ portId: port.id, macAddress: port.mac_address, networkId: port.network_id });
  }
  return out;
}

/**
 * Deletes every attachment of the volume to the instance but `keep`: the one the move replaced,
 * and any that an earlier failed attempt left behind, so that a retried or undone move converges.
 */
async function dropOtherAttachments(deps: Pick<HandlerDeps, 'volumes'>, ctx: RequestContext, instanceUuid: string, volumeId: string, keep: string): Promise<void> {
  for (const a of await deps.volumes.attachmentList(ctx, { instanceUuid, volumeId })) {
    if (a.id !== keep) await ignoreNotFound(deps.volumes.attachmentDelete(ctx, a.id));
  }
}
