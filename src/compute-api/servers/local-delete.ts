import { BadRequestError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import { UNBIND_PORT } from '../../compute/attachments/port-attachment.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/**
 * What Nova's API releases when it deletes a server no compute holds (still a build request, in
 * cell0, or left by a failed build): the volumes' attachments (the reservations the API made, or
 * what a failed build could not undo), the volumes marked delete_on_termination, and the ports
 * still on record (created ones deleted, the user's unbound). Each is tried; a failure is
 * rethrown at the end and what failed stays on record, so the delete can be retried.
 *
 * @example
 * await releaseLocally(deps, ctx, repos, uuid, log); // then soft-delete the instance
 */
export async function releaseLocally(deps: ComputeApiDeps, ctx: RequestContext, repos: CellRepos, uuid: string, log: Logger): Promise<void> {
  const failures: unknown[] = [];
  const info = (await repos.vifs.networkInfoFor([uuid])).get(uuid) ?? [];
  for (const vif of (await repos.vifs.list(uuid)).reverse()) {
    const entry = info.find((e) => e.port_id === vif.uuid);
    // Without a cache entry the port's origin is unknown: keep it, as a port the user brought.
    const preserve = entry === undefined || entry.preserve_on_delete === true;
    try {
      if (preserve) await ignoreNotFound(deps.network.updatePort(elevated(ctx), vif.uuid, UNBIND_PORT));
      else await ignoreNotFound(deps.network.deletePort(elevated(ctx), vif.uuid));
      await repos.vifs.destroy(uuid, vif.uuid);
      log.info({ port_id: vif.uuid, preserve_on_delete: preserve }, preserve ? 'port unbound' : 'port deleted');
    } catch (err) {
      log.error({ err, port_id: vif.uuid }, 'could not release a port of the server');
      failures.push(err);
    }
  }
  for (const bdm of (await repos.bdms.list(uuid)).reverse()) {
    try {
      await releaseVolume(deps, ctx, bdm, log);
      await repos.bdms.destroy(bdm.uuid);
    } catch (err) {
      log.error({ err, volume_id: bdm.volume_id, attachment_id: bdm.attachment_id }, 'could not release a volume of the server');
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * Gives back the volumes reserved for a server deleted while it was still a build request (Nova's
 * _local_cleanup_bdm_volumes): the build request is gone, so a failure can only be logged.
 */
export async function releaseBuildRequestVolumes(deps: ComputeApiDeps, ctx: RequestContext, bdms: readonly NewBlockDeviceMapping[], log: Logger): Promise<void> {
  for (const bdm of bdms) {
    await releaseVolume(deps, ctx, bdm, log).catch((err: unknown) => log.error({ err, volume_id: bdm.volume_id, attachment_id: bdm.attachment_id }, 'could not release a volume reserved for the server'));
  }
}

/**
 * Deletes the mapping's attachment, then its volume if marked delete_on_termination. A volume the
 * volume service refuses to delete (in use by another server) is kept, as Nova does.
 */
async function releaseVolume(deps: ComputeApiDeps, ctx: RequestContext, bdm: Pick<NewBlockDeviceMapping, 'attachment_id' | 'volume_id' | 'delete_on_termination'>, log: Logger): Promise<void> {
  if (bdm.attachment_id !== undefined && bdm.attachment_id !== null) await ignoreNotFound(deps.volumes.attachmentDelete(ctx, bdm.attachment_id));
  if (bdm.delete_on_termination !== true || bdm.volume_id === undefined || bdm.volume_id === null) return;
  try {
    await ignoreNotFound(deps.volumes.delete(ctx, bdm.volume_id));
    log.info({ volume_id: bdm.volume_id }, 'volume deleted with the server (delete_on_termination)');
  } catch (err) {
    if (!(err instanceof BadRequestError)) throw err;
    log.warn({ err, volume_id: bdm.volume_id }, 'the volume service refused to delete a delete_on_termination volume; it is kept');
  }
}

/**
 * Emits `instance.delete.<phase>` for a server the API deletes itself, from the API's host
 * (`nova-api:<[DEFAULT] host>`, as Nova's _local_delete), about the instance as its cell has it
 * now (deleted, for `end`). Never throws.
 */
export async function notifyLocalDelete(deps: ComputeApiDeps, ctx: RequestContext, repos: CellRepos, uuid: string, phase: 'start' | 'end', log: Logger): Promise<void> {
  try {
    const instance = await repos.instances.find(uuid, { includeDeleted: true });
    if (instance !== undefined) await deps.notifier.instanceAction(ctx, repos, { instance, action: 'delete', phase, host: deps.config.DEFAULT.host });
  } catch (err) {
    log.error({ err, event_type: `instance.delete.${phase}` }, 'could not read the server to notify about its delete');
  }
}
