import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { listMigrations } from '../../../compute-api/migrations/list-migrations.js';
import { listMigrationsQuery, type MigrationListQuery } from '../../../compute-api/migrations/migration-schemas.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { lastValues } from '../../validation/last-values.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { migrationView } from '../../views/migration-view.js';
import { nextPageLinks } from '../../views/next-page-links.js';

// The query changes at 2.59 (paging, changes-since, strict), 2.66 (changes-before) and 2.80 (owner).
const validators: [number, Validator<TSchema>][] = [80, 66, 59, 1].map((minor) => [minor, compileValidator(listMigrationsQuery(minor), 'query')]);

/**
 * GET /os-migrations: every cell's migrations, newest first, filtered by `instance_uuid`, `status`,
 * `host`, `source_compute`, `migration_type` (and `user_id`/`project_id` from 2.80), paged from 2.59
 * (`limit`, `marker` = migration uuid, `migrations_links`).
 */
export async function migrationRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-migrations', async (request) => {
    const mv = request.microversion;
    const validate = validators.find(([from]) => mv.minor >= from)?.[1] as Validator<TSchema>;
    validate(request.query);
    // Validated as sent (a paging parameter may come once); filters count with their last value.
    const sent = lastValues(request.query);
    const list = await listMigrations(deps, request.ctx, sent as MigrationListQuery, mv.minor);
    const root = collectionRoot(request);
    const roots = { versioned: root, bookmark: root.replace(/\/v2(\.1)?$/, '') };
    const migrations = list.migrations.map((m) => migrationView(mv, m, roots));
    if (!atLeast(mv, '2.59') || list.pageSize === undefined) return { migrations };
    const links = nextPageLinks(`${root}/os-migrations`, sent, list.migrations.length, list.pageSize, list.migrations[list.migrations.length - 1]?.uuid);
    return links.length === 0 ? { migrations } : { migrations, migrations_links: links };
  });
}

/** `http://host/compute/v2.1` (or `/v2`): the root the client used, for links. */
function collectionRoot(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  return `${baseUrl(request)}${path.replace(/\/os-migrations$/, '')}`;
}
