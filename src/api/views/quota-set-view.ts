import { quotaResourcesAt, type QuotaResource } from '../../compute-api/quotas/quota-resources.js';
import type { Microversion } from '../microversion.js';

/**
 * A quota set as Nova shows it: the resources of the microversion (2.36 drops the network ones,
 * 2.57 the injected files), each with a limit or, for the detail, `{limit, in_use, reserved}`;
 * `id` (the project) except in the answer to an update.
 */
export function quotaSetView<T>(mv: Microversion, values: Record<QuotaResource, T>, projectId?: string): { quota_set: Record<string, T | string> } {
  const body: Record<string, T | string> = {};
  if (projectId !== undefined) body['id'] = projectId;
  for (const resource of quotaResourcesAt(mv.minor)) body[resource] = values[resource];
  return { quota_set: body };
}
