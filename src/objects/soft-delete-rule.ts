import type { Instance } from './instance.js';

/**
 * Whether a plain delete only soft-deletes this server: `[DEFAULT] reclaim_instance_interval` is
 * set and the server was launched on a host (Nova refuses to soft-delete a server that never
 * became active and deletes it at once instead). The API's delete and the conductor's queued
 * delete both follow it.
 */
export function deletesSoftly(reclaimInstanceIntervalSeconds: number, i: Pick<Instance, 'launched_at' | 'host'>): boolean {
  return reclaimInstanceIntervalSeconds > 0 && i.launched_at !== null && i.host !== null;
}
