import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { newestMigrationFirst, type MigrationFilter, type MigrationSortKey } from '../../db/cell/migration-repo.js';
import type { Migration, MigrationType } from '../../objects/migration.js';
import { changesWindow } from '../changes-window.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { boolFromString } from '../flavors/bool-from-string.js';
import { pageLimit } from '../page-limit.js';
import type { MigrationListQuery } from './migration-schemas.js';

export interface MigrationList {
  migrations: Migration[];
  /** The page size (limit capped at max_limit) when the list was paged (2.59+), for the next link. */
  pageSize?: number;
}

/**
 * GET /os-migrations: the migrations of every cell, merged newest first (created_at, id, uuid,
 * descending), under policy `os-migrations:index` (administrators by default). Hidden copies,
 * which a cross-cell move leaves in one of the two cells, are never shown. `minor` is the request's
 * microversion: paging and `changes-since` count from 2.59 (ignored before, as Nova), then
 * `changes-before` from 2.66 and `user_id`/`project_id` from 2.80. A marker is a migration uuid;
 * an unknown one is a 400.
 */
export async function listMigrations(deps: ComputeApiDeps, ctx: RequestContext, q: MigrationListQuery, minor: number): Promise<MigrationList> {
  deps.policy.authorize('os_compute_api:os-migrations:index', ctx, { project_id: ctx.projectId });
  const filter = filterOf(q, minor);
  // Nova filters on the hidden column and then drops every hidden row: asking for them finds none.
  const hiddenOnly = q.hidden !== undefined && boolFromString(q.hidden) === true;

  const cells = (await deps.api.cells.list()).map((cell) => deps.cells.repos(cell));
  if (minor < 59) {
    const all = hiddenOnly ? [] : (await Promise.all(cells.map((repos) => repos.migrations.list(filter)))).flat();
    return { migrations: all.sort(newestMigrationFirst) };
  }
  const limit = pageLimit(q.limit, deps.config.api.max_limit);
  let after: MigrationSortKey | undefined;
  if (q.marker !== undefined) {
    const marker = q.marker;
    const found = (await Promise.all(cells.map((repos) => repos.migrations.find(marker)))).filter((m) => m !== undefined);
    // A cross-cell move has a hidden copy of the same uuid in the other cell: page from the shown one.
    after = found.find((m) => !m.hidden) ?? found[0];
    if (after === undefined) throw new BadRequestError('compute.marker_not_found', `Marker ${marker} could not be found.`);
  }
  if (hiddenOnly) return { migrations: [], pageSize: limit };
  // Each cell gives at most one page after the marker; the merged page is the newest of those.
  const pages = await Promise.all(cells.map((repos) => repos.migrations.list({ ...filter, limit, ...(after === undefined ? {} : { after }) })));
  return { migrations: pages.flat().sort(newestMigrationFirst).slice(0, limit), pageSize: limit };
}

function filterOf(q: MigrationListQuery, minor: number): MigrationFilter {
  const filter: MigrationFilter = {};
  if (q.instance_uuid !== undefined) filter.instanceUuid = q.instance_uuid;
  if (q.status !== undefined) filter.statuses = [q.status];
  if (q.host !== undefined) filter.host = q.host;
  if (q.source_compute !== undefined) filter.sourceCompute = q.source_compute;
  if (q.migration_type !== undefined) filter.migrationType = q.migration_type as MigrationType;
  // The query schema refuses changes-before before 2.66, so the window reads only what counts.
  if (minor >= 59) Object.assign(filter, changesWindow(q));
  if (minor >= 80) {
    if (q.user_id !== undefined) filter.userId = q.user_id;
    if (q.project_id !== undefined) filter.projectId = q.project_id;
  }
  return filter;
}
