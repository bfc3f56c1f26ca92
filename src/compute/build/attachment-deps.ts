import type { PortAttachmentDeps } from '../attachments/port-attachment.js';
import type { VolumeAttachmentDeps } from '../attachments/volume-attachment.js';
import type { HandlerDeps } from '../handler-deps.js';

/** What the port attach and detach steps need, from a handler's deps. */
export function portDepsOf(deps: HandlerDeps): PortAttachmentDeps {
  return { host: deps.host, vifs: deps.repos.vifs, network: deps.network, driver: deps.driver, locks: deps.locks, logger: deps.logger };
}

/** What the volume attach and detach steps need, from a handler's deps. */
export function volumeDepsOf(deps: HandlerDeps): VolumeAttachmentDeps {
  return { host: deps.host, bdms: deps.repos.bdms, volumes: deps.volumes, driver: deps.driver, locks: deps.locks, logger: deps.logger };
}
