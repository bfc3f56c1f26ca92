import type { RequestContext } from '../../common/request-context.js';
import { detachPort, type PortAttachmentDeps } from './port-attachment.js';

export interface ReleaseOptions {
  /** False once the guest is destroyed (instance deletion): only the services and rows are cleaned; default true. */
  driverDetach?: boolean;
}

/**
 * Releases every port of an instance, as Nova's deallocate_for_instance: ports the compute created
 * are deleted, the user's ports unbound and kept, interfaces and network info cache entries
 * dropped. Every port is tried even when one fails; the first failure is rethrown at the end.
 */
export async function releasePorts(deps: PortAttachmentDeps, ctx: RequestContext, instanceUuid: string, options: ReleaseOptions = {}): Promise<void> {
  const failures: unknown[] = [];
  for (const vif of await deps.vifs.list(instanceUuid)) {
    try {
      await detachPort(deps, ctx, { instanceUuid, portId: vif.uuid, ...(options.driverDetach === undefined ? {} : { driverDetach: options.driverDetach }) });
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}
