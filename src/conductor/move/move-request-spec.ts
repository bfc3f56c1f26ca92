import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import { refreshGroup } from '../build/refresh-group.js';

export interface MoveTarget {
  /** The host an administrator named, if any. */
  host: string | null;
  /** A same-host resize is allowed (`allow_resize_to_same_host`, resizes only). */
  allowSameHost: boolean;
  /** The requester may move the server to another cell (`compute:servers:resize:cross_cell`). */
  allowCrossCell?: boolean;
}

/**
 * What the scheduler is asked for a move, from the request spec stored at create (Nova's
 * RequestSpec reused by MigrationTask): one instance of the new flavor, away from the host it is
 * on unless a same-host resize is allowed, restricted to a named host and to the instance's cell
 * (moves stay within their cell unless cross-cell moves are allowed), with the server group as it
 * is now, the instance itself left out of the group's hosts. When the requester may move across
 * cells, any cell will do; the cross-cell weigher prefers the current one (`move`).
 */
export async function moveRequestSpec(
  deps: { api: ApiRepos; cells: CellDatabases },
  instance: Instance,
  cell: CellMapping,
  newFlavor: RequestSpec['flavor'],
  target: MoveTarget,
): Promise<RequestSpec> {
  const stored = await deps.api.requestSpecs.get(instance.uuid);
  // Within its cell, unless it may cross cells; then a cell the stored spec names (an operator's
  // restriction) still holds, overriding the weigher's preference for the current cell.
  const cellRestriction = target.allowCrossCell === true ? stored.requested_destination?.cell : cell.uuid;
  const spec: RequestSpec = {
    ...stored,
    instance_uuid: instance.uuid,
    flavor: newFlavor,
    num_instances: 1,
    min_count: 1,
    ignore_hosts: target.allowSameHost || instance.host === null ? [] : [instance.host],
    requested_destination: { ...(target.host === null ? {} : { host: target.host }), ...(cellRestriction === undefined ? {} : { cell: cellRestriction }) },
    move: { source_cell_uuid: cell.uuid },
  };
  return refreshGroup(deps, spec, instance.uuid);
}
