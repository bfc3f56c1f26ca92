import type { RequestContext } from '../common/request-context.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { Flavor } from '../objects/flavor.js';
import type { Instance } from '../objects/instance.js';
import type { RequestSpec } from '../objects/request-spec.js';

/** The instance actions that have `instance.<action>.<phase>` notifications. */
export type InstanceActionName =
  | 'create' | 'delete' | 'power_on' | 'power_off' | 'reboot' | 'resize_prep' | 'resize' | 'resize_finish' | 'resize_confirm'
  | 'resize_revert' | 'shutdown' | 'snapshot' | 'volume_attach' | 'volume_detach' | 'interface_attach' | 'interface_detach' | 'soft_delete' | 'restore';

export type NotificationPhase = 'start' | 'end' | 'error';

/**
 * What the services tell about instances, in words of what happened; the implementation builds
 * Nova's payloads (reading the instance's ports, volumes and tags from `repos`) and emits them.
 * Every method resolves once the notification is handed to listeners and sinks, and never
 * rejects: a notification that cannot be built is logged and the caller's operation goes on.
 * `snapshot`, `volume_attach` and `volume_detach` get the plain InstanceActionPayload here (Nova
 * adds `snapshot_image_id` / `volume_id`, which this input does not carry).
 *
 * @example
 * await deps.notifier.instanceAction(ctx, deps.repos, { instance, action: 'power_off', phase: 'start', host: deps.host });
 * await deps.notifier.instanceAction(ctx, deps.repos, { instance, action: 'reboot', phase: 'error', host: deps.host, fault: err });
 */
export interface InstanceNotifier {
  /**
   * Whether a notification sent now would reach a sink or a listener. Callers may skip reading
   * what only a notification needs (the instance, on every step of every action) when it would not.
   */
  readonly enabled: boolean;
  /** instance.<action>.<phase>; `fault` (an error) only with phase 'error'; `newFlavor` only for resize_prep. Never throws. */
  instanceAction(
    ctx: RequestContext,
    repos: CellRepos,
    input: { instance: Instance; action: InstanceActionName; phase: NotificationPhase; host: string; fault?: unknown; newFlavor?: Flavor },
  ): Promise<void>;
  /** instance.exists for the current audit period. Never throws. */
  instanceExists(ctx: RequestContext, repos: CellRepos, input: { instance: Instance; host: string }): Promise<void>;
  /** compute_task.<task>.error, e.g. task 'migrate_server'. Never throws. */
  computeTaskError(
    ctx: RequestContext,
    input: { task: string; instanceUuid: string; requestSpec: RequestSpec; state: string; reason: unknown; host: string },
  ): Promise<void>;
}
