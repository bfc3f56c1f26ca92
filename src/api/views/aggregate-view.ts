import type { Aggregate } from '../../db/api/aggregate-repo.js';
import { atLeast, type Microversion } from '../microversion.js';
import { novaTime } from './service-view.js';

/**
 * An aggregate as Nova shows it: `availability_zone` from its metadata, Nova's deprecated
 * `deleted`/`deleted_at` (always false/null), and `uuid` from 2.41. The create response has no
 * `hosts` or `metadata` (`withMembers: false`); every other response has both.
 */
export function aggregateView(mv: Microversion, agg: Aggregate, options: { withMembers: boolean } = { withMembers: true }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    availability_zone: agg.metadata['availability_zone'] ?? null,
    created_at: novaTime(agg.created_at),
    deleted: false,
    deleted_at: null,
  };
  if (options.withMembers) body['hosts'] = [...agg.hosts];
  body['id'] = agg.id;
  if (options.withMembers) body['metadata'] = { ...agg.metadata };
  body['name'] = agg.name;
  body['updated_at'] = novaTime(agg.updated_at);
  if (atLeast(mv, '2.41')) body['uuid'] = agg.uuid;
  return body;
}
