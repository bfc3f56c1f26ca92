import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { InstanceNotifier } from '../../notifications/index.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';
import { CELL0_UUID } from '../../objects/cell-mapping.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { RequestedNetwork } from '../../objects/requested-network.js';
import { TaskState } from '../../objects/task-state.js';
import type { PlacementClient } from '../../placement/index.js';
import type { ComputeRpcClient } from '../../rpc/contracts/compute-rpc.js';
import type { SchedulerRpcClient, Selection } from '../../rpc/contracts/scheduler-rpc.js';
import type { VolumeClient } from '../../volume/index.js';
import { runTasks } from '../tasks/task-runner.js';
import { buryInCell0 } from './bury-in-cell0.js';
import { CreateBlockDeviceMappingsTask } from './create-block-device-mappings-task.js';
import { CreateInstanceTask } from './create-instance-task.js';
import { DeleteBuildRequestTask } from './delete-build-request-task.js';
import { MapInstanceTask } from './map-instance-task.js';
import { refreshGroup } from './refresh-group.js';

export interface BuildDeps {
  api: ApiRepos;
  placement: PlacementClient;
  cells: CellDatabases;
  scheduler: SchedulerRpcClient;
  compute: ComputeRpcClient;
  /** The volume service: a reschedule reserves again the volumes a failed build released. */
  volumes: VolumeClient;
  /** Versioned notifications of the conductor's tasks (publisher `nova-conductor:<host>`). */
  notifier: InstanceNotifier;
  clock: Clock;
  logger: Logger;
}

/**
 * The conductor's half of a boot: ask the scheduler for hosts, then for each instance write it
 * and its block device mappings into the chosen cell, point its mapping there, consume its build
 * request and cast the build (with the requested networks) to the compute. No host means cell0 in
 * ERROR, with the mappings recorded there so that deleting the server releases the volumes the
 * API reserved. A server deleted meanwhile is rolled back.
 */
export async function scheduleAndBuild(deps: BuildDeps, ctx: RequestContext, instanceUuids: string[]): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId });
  const cell0 = await deps.api.cells.findByUuid(CELL0_UUID);
  if (cell0 === undefined) throw new NotFoundError('cells.cell0_missing', 'cell0 is not mapped; run `tessera db sync`');
  const requests: Instance[] = [];
  const devices = new Map<string, NewBlockDeviceMapping[]>();
  for (const uuid of instanceUuids) {
    const br = await deps.api.buildRequests.findWithDevices(uuid);
    if (br === undefined) {
      log.info({ instance_uuid: uuid }, 'build request gone before scheduling; server was deleted');
      continue;
    }
    requests.push(br.instance);
    devices.set(uuid, br.blockDeviceMappings);
  }
  const first = requests[0];
  if (first === undefined) return;
  const bdmsOf = (uuid: string): NewBlockDeviceMapping[] => devices.get(uuid) ?? [];

  let selections: Selection[];
  let requestedNetworks: RequestedNetwork[];
  try {
    const stored = await deps.api.requestSpecs.get(first.uuid);
    // One request: every instance of it asked for the same networks.
    requestedNetworks = stored.requested_networks ?? [];
    const spec = await refreshGroup(deps, stored);
    selections = await deps.scheduler.selectDestinations(ctx, { spec, instance_uuids: requests.map((r) => r.uuid) });
  } catch (err) {
    for (const instance of requests) {
      await buryInCell0({ api: deps.api, cell0, cell0Repos: deps.cells.repos(cell0), logger: log }, ctx, instance, bdmsOf(instance.uuid), err);
    }
    return;
  }
  // Below max_count but at least min_count fitted: the others are withdrawn, as if never asked for.
  for (const instance of requests.slice(selections.length)) await withdraw(deps, instance.uuid, log);

  for (const [index, instance] of requests.slice(0, selections.length).entries()) {
    const selection = selections[index] as Selection;
    const cell = await deps.api.cells.findByUuid(selection.cell_uuid);
    const ilog = log.child({ instance_uuid: instance.uuid, cell: cell?.name, host: selection.service_host });
    // From here on the scheduler's claim is ours: every path that does not build releases it.
    const release = (): Promise<unknown> => deps.placement.deleteAllocations(instance.uuid).catch((e: unknown) => ilog.error({ err: e }, 'could not release the claim'));
    if (cell === undefined) {
      await release();
      await buryInCell0({ api: deps.api, cell0, cell0Repos: deps.cells.repos(cell0), logger: ilog }, ctx, instance, bdmsOf(instance.uuid), new NotFoundError('cells.cell_not_found', `Cell ${selection.cell_uuid} is not mapped.`));
      continue;
    }
    const repos = deps.cells.repos(cell);
    const placed: Instance = {
      ...instance,
      host: selection.service_host,
      node: selection.nodename,
      availability_zone: instance.availability_zone ?? (await deps.api.aggregates.zoneOf(selection.service_host)) ?? null,
      task_state: TaskState.SCHEDULING,
      updated_at: deps.clock.now().toISOString(),
    };
    const create = new CreateInstanceTask({ repos, instance: placed, ctx });
    try {
      await runTasks(
        [
          create,
          new CreateBlockDeviceMappingsTask({ repos, mappings: bdmsOf(instance.uuid) }),
          new MapInstanceTask({ mappings: deps.api.instanceMappings, instanceUuid: instance.uuid, cellId: cell.id }),
          new DeleteBuildRequestTask({ buildRequests: deps.api.buildRequests, instance, blockDeviceMappings: bdmsOf(instance.uuid) }),
        ],
        ilog,
      );
    } catch (err) {
      await release();
      if (err instanceof NotFoundError && err.code === 'compute.build_request_not_found') {
        ilog.info('server deleted while it was scheduled; not building it');
        await deps.api.instanceMappings.delete(instance.uuid).catch((e: unknown) => ilog.error({ err: e }, 'could not remove the mapping'));
        await deps.api.requestSpecs.delete(instance.uuid).catch((e: unknown) => ilog.error({ err: e }, 'could not remove the request spec'));
        continue;
      }
      await buryInCell0({ api: deps.api, cell0, cell0Repos: deps.cells.repos(cell0), logger: ilog }, ctx, instance, bdmsOf(instance.uuid), err);
      continue;
    }
    await repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, actionId: create.actionId, event: 'conductor_schedule_and_build_instances', startTime: instance.created_at, result: 'Success', host: null });
    await deps.compute.buildAndRunInstance(ctx, selection.service_host, {
      instance_uuid: instance.uuid, node: selection.nodename, alternates: selection.alternates, reschedulable: selection.reschedulable, requested_networks: requestedNetworks,
    });
    ilog.info('build cast to compute');
  }
}

/** Removes every API-database record of an instance that will not be built. */
async function withdraw(deps: BuildDeps, uuid: string, log: Logger): Promise<void> {
  try {
    await deps.api.buildRequests.delete(uuid);
    await deps.api.requestSpecs.delete(uuid);
    await deps.api.serverGroups.removeMember(uuid);
    await deps.api.instanceMappings.delete(uuid);
    log.info({ instance_uuid: uuid }, 'instance beyond what fitted withdrawn (min_count reached)');
  } catch (err) {
    log.error({ err, instance_uuid: uuid }, 'could not withdraw an instance that will not be built');
  }
}
