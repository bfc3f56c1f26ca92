import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { Flavor } from '../objects/flavor.js';
import type { Instance } from '../objects/instance.js';
import type { RequestSpec } from '../objects/request-spec.js';
import { currentAuditPeriod } from './audit-period.js';
import type { InstanceActionName, InstanceNotifier, NotificationPhase } from './instance-notifier.js';
import { publisherId, type NotificationEvent, type NotificationSource } from './notification.js';
import type { Notifier } from './notifier.js';
import { auditPeriodPayload } from './payloads/audit-period-payload.js';
import { computeTaskPayload } from './payloads/compute-task-payload.js';
import { exceptionPayload } from './payloads/exception-payload.js';
import { instanceActionPayload } from './payloads/instance-action-payload.js';
import { instanceActionResizePrepPayload } from './payloads/instance-action-resize-prep-payload.js';
import { instanceCreatePayload } from './payloads/instance-create-payload.js';
import { instanceExistsPayload } from './payloads/instance-exists-payload.js';
import type { InstancePayloadSource } from './payloads/instance-payload.js';

export interface VersionedInstanceNotifierDeps {
  notifier: Notifier;
  /** The service this facade speaks for: the first half of `publisher_id`. */
  source: Exclude<NotificationSource, 'nova-scheduler'>;
  clock: Clock;
  logger: Logger;
  /** `[notifications] bdms_in_notifications`: volumes in every payload, not only create and delete. */
  bdmsInNotifications: boolean;
  /** `[DEFAULT] instance_usage_audit_period`. */
  auditPeriod: string;
}

/** The cell records one instance payload is built from. */
type InstanceRecords = Pick<InstancePayloadSource, 'networkInfo' | 'bdms'> & { tags: string[] };

/**
 * Builds Nova's versioned payloads from Tessera's records and emits them through the notifier.
 * One per service (compute, API, conductor), so each names itself as the publisher.
 */
export class VersionedInstanceNotifier implements InstanceNotifier {
  constructor(private readonly deps: VersionedInstanceNotifierDeps) {}

  get enabled(): boolean {
    return this.deps.notifier.enabled;
  }

  async instanceAction(
    ctx: RequestContext,
    repos: CellRepos,
    input: { instance: Instance; action: InstanceActionName; phase: NotificationPhase; host: string; fault?: unknown; newFlavor?: Flavor },
  ): Promise<void> {
    const eventType = `instance.${input.action}.${input.phase}`;
    await this.guard(ctx, eventType, input.instance.uuid, async () => {
      // Nova hands create and delete their volumes itself; other actions report them only when asked to.
      const withBdms = this.deps.bdmsInNotifications || input.action === 'create' || input.action === 'delete';
      const records = await this.records(repos, input.instance.uuid, { bdms: withBdms, tags: input.action === 'create' });
      const source: InstancePayloadSource = { ctx, instance: input.instance, ...records };
      const fault = input.phase === 'error' && input.fault !== undefined ? exceptionPayload(input.fault) : null;
      const payload =
        input.action === 'create'
          ? instanceCreatePayload({ ...source, tags: records.tags }, fault)
          : input.action === 'resize_prep'
            ? instanceActionResizePrepPayload(source, fault, input.newFlavor ?? null)
            : instanceActionPayload(source, fault);
      return { event_type: eventType, publisher_id: publisherId(this.deps.source, input.host), priority: input.phase === 'error' ? 'ERROR' : 'INFO', payload };
    });
  }

  async instanceExists(ctx: RequestContext, repos: CellRepos, input: { instance: Instance; host: string }): Promise<void> {
    await this.guard(ctx, 'instance.exists', input.instance.uuid, async () => {
      const records = await this.records(repos, input.instance.uuid, { bdms: this.deps.bdmsInNotifications, tags: false });
      const period = auditPeriodPayload(currentAuditPeriod(this.deps.clock.now(), this.deps.auditPeriod));
      const payload = instanceExistsPayload({ ctx, instance: input.instance, ...records }, period);
      return { event_type: 'instance.exists', publisher_id: publisherId(this.deps.source, input.host), priority: 'INFO', payload };
    });
  }

  async computeTaskError(
    ctx: RequestContext,
    input: { task: string; instanceUuid: string; requestSpec: RequestSpec; state: string; reason: unknown; host: string },
  ): Promise<void> {
    const eventType = `compute_task.${input.task}.error`;
    await this.guard(ctx, eventType, input.instanceUuid, async () => {
      const payload = computeTaskPayload({ instanceUuid: input.instanceUuid, requestSpec: input.requestSpec, state: input.state, reason: exceptionPayload(input.reason) });
      // Compute tasks are the conductor's, whichever service reports them.
      return { event_type: eventType, publisher_id: publisherId('nova-conductor', input.host), priority: 'ERROR', payload };
    });
  }

  private async records(repos: CellRepos, uuid: string, want: { bdms: boolean; tags: boolean }): Promise<InstanceRecords> {
    const [networkInfo, bdms, tags] = await Promise.all([
      repos.vifs.networkInfoFor([uuid]).then((m) => m.get(uuid) ?? []),
      want.bdms ? repos.bdms.list(uuid) : Promise.resolve(null),
      want.tags ? repos.tags.list(uuid) : Promise.resolve([]),
    ]);
    return { networkInfo, bdms, tags };
  }

  /** Builds and emits unless notifications are off; any failure is logged, never thrown. */
  private async guard(ctx: RequestContext, eventType: string, instanceUuid: string, build: () => Promise<NotificationEvent>): Promise<void> {
    if (!this.deps.notifier.enabled) return;
    try {
      this.deps.notifier.emit(await build());
    } catch (err) {
      this.deps.logger.error({ err, request_id: ctx.requestId, instance_uuid: instanceUuid, event_type: eventType }, 'could not emit a notification');
    }
  }
}
