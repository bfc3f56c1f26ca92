import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from '../servers/instance-locator.js';

const POLICY = 'os_compute_api:os-volumes-attachments';

/**
 * GET /servers/{id}/os-volume_attachments: the server's mappings that have a volume, in Nova's
 * order, paged with `limit` and `offset` as Nova's `common.limited` does. A server still being
 * scheduled has none.
 */
export async function listVolumeAttachments(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, page: { limit?: number; offset?: number }): Promise<BlockDeviceMapping[]> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(`${POLICY}:index`, ctx, { project_id: located.instance.project_id });
  if (located.kind !== 'cell') return [];
  const bdms = await located.repos.bdms.list(uuid);
  const offset = page.offset ?? 0;
  const limit = Math.min(page.limit ?? deps.config.api.max_limit, deps.config.api.max_limit);
  return bdms.slice(offset, offset + limit).filter((b) => b.volume_id !== null);
}

/** GET /servers/{id}/os-volume_attachments/{volume_id}: @throws NotFoundError when the volume is not attached to the server. */
export async function showVolumeAttachment(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, volumeId: string): Promise<BlockDeviceMapping> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(`${POLICY}:show`, ctx, { project_id: located.instance.project_id });
  const bdm = located.kind === 'cell' ? await located.repos.bdms.findByVolume(uuid, volumeId) : undefined;
  if (bdm === undefined) throw notAttached(uuid, volumeId);
  return bdm;
}

export function notAttached(uuid: string, volumeId: string): NotFoundError {
  return new NotFoundError('compute.volume_bdm_not_found', `Instance ${uuid} is not attached to volume ${volumeId}`);
}

/** Reads Nova's non-negative paging integers; a value past what JSON numbers hold is refused. */
export function pagingNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new BadRequestError('api.invalid_input', `Invalid input for query parameter ${name}. Value: ${value}. '${value}' is too large`);
  return n;
}
