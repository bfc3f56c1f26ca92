import type { Migration } from '../../objects/migration.js';
import { atLeast, type Microversion } from '../microversion.js';
import { novaTime } from './service-view.js';

/** Where links of a migration point: `http://h/compute/v2.1` and, for bookmarks, `http://h/compute`. */
export interface MigrationLinkRoots {
  versioned: string;
  bookmark: string;
}

/** The statuses in which Nova links a live migration to its server's migrations resource. */
const LIVE_MIGRATION_IN_PROGRESS = new Set(['queued', 'preparing', 'running', 'post-migrating']);

/**
 * A migration as GET /os-migrations shows it: the base fields with Nova's naive UTC times;
 * `migration_type` from 2.23 (with self/bookmark `links` for a live migration in progress, which
 * this cloud does not perform, so in practice never), `uuid` from 2.59, and `user_id` and
 * `project_id` from 2.80.
 */
export function migrationView(mv: Microversion, m: Migration, roots: MigrationLinkRoots): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: m.id,
    source_compute: m.source_compute,
    dest_compute: m.dest_compute,
    source_node: m.source_node,
    dest_node: m.dest_node,
    dest_host: m.dest_host,
    old_instance_type_id: m.old_instance_type_id,
    new_instance_type_id: m.new_instance_type_id,
    instance_uuid: m.instance_uuid,
    status: m.status,
    created_at: novaTime(m.created_at),
    updated_at: novaTime(m.updated_at),
  };
  if (atLeast(mv, '2.23')) {
    view['migration_type'] = m.migration_type;
    // The type says resize or migration only; the check reads the stored text, should it ever differ.
    if ((m.migration_type as string) === 'live-migration' && LIVE_MIGRATION_IN_PROGRESS.has(m.status)) {
      const path = `servers/${m.instance_uuid}/migrations/${m.id}`;
      view['links'] = [
        { rel: 'self', href: `${roots.versioned}/${path}` },
        { rel: 'bookmark', href: `${roots.bookmark}/${path}` },
      ];
    }
  }
  if (atLeast(mv, '2.59')) view['uuid'] = m.uuid;
  if (atLeast(mv, '2.80')) {
    view['user_id'] = m.user_id;
    view['project_id'] = m.project_id;
  }
  return view;
}
