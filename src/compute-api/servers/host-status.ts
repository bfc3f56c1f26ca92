import { isServiceUp } from '../../objects/service-liveness.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * Nova's host_status of the given compute hosts (only those shown are read): UP, DOWN (heartbeat too old or forced down),
 * MAINTENANCE (disabled), UNKNOWN (no service record).
 */
export async function loadHostStatuses(deps: ComputeApiDeps, hosts: readonly string[]): Promise<(host: string | null) => string> {
  const statuses = new Map<string, string>();
  const now = deps.clock.now();
  const wanted = [...new Set(hosts)];
  if (wanted.length === 0) return () => '';
  for (const cell of await deps.api.cells.list()) {
    for (const s of await deps.cells.repos(cell).services.list({ binary: 'nova-compute', hosts: wanted })) {
      const up = isServiceUp(s, now, deps.config.DEFAULT.service_down_time);
      statuses.set(s.host, s.disabled ? 'MAINTENANCE' : up ? 'UP' : 'DOWN');
    }
  }
  return (host) => (host === null ? '' : (statuses.get(host) ?? 'UNKNOWN'));
}
