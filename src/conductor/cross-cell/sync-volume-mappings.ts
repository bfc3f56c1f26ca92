import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { VolumeClient } from '../../volume/index.js';

/**
 * Before a cross-cell revert, makes the source cell's volume mappings what the target cell's are
 * now, as Nova's RevertResizeTask copies the mappings back: a volume detached while the server
 * waited in VERIFY_RESIZE loses its source mapping and its source attachments; a volume attached
 * meanwhile gets a source mapping (without attachment: the source connects it when it takes the
 * server back).
 */
export async function syncVolumeMappings(ctx: RequestContext, from: CellRepos, to: CellRepos, volumes: VolumeClient, instanceUuid: string): Promise<void> {
  const now = (await from.bdms.list(instanceUuid)).filter((b) => b.volume_id !== null);
  const before = (await to.bdms.list(instanceUuid)).filter((b) => b.volume_id !== null);
  const nowVolumes = new Set(now.map((b) => b.volume_id));
  const beforeVolumes = new Set(before.map((b) => b.volume_id));
  for (const bdm of before) {
    if (nowVolumes.has(bdm.volume_id)) continue;
    for (const a of await volumes.attachmentList(ctx, { instanceUuid, volumeId: bdm.volume_id as string })) await volumes.attachmentDelete(ctx, a.id);
    await to.bdms.destroy(bdm.uuid);
  }
  for (const bdm of now) {
    if (beforeVolumes.has(bdm.volume_id)) continue;
    const { created_at: _c, updated_at: _u, attachment_id: _a, connection_info: _ci, ...values } = bdm;
    await to.bdms.create({ ...values, attachment_id: null, connection_info: null });
  }
}
