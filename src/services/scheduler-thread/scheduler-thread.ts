import { pino } from 'pino';
import { SystemClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { Config } from '../../config/index.js';
import { createApiRepos } from '../../db/api/api-repos.js';
import type { ApiSchema } from '../../db/api/api-schema.js';
import { CellDatabases } from '../../db/cell/cell-databases.js';
import { openDatabase } from '../../db/connection.js';
import { PlacementService, placementRuleDefaults } from '../../placement/index.js';
import type { CommittedWrite } from '../../placement/store/read-model-sync.js';
import { PolicyEngine } from '../../policy/index.js';
import { PortBus } from '../../rpc/port/port-bus.js';
import { PortChannel, type MessageEndpoint } from '../../rpc/port/port-channel.js';
import { schedulerFromConfig } from '../../scheduler/scheduler-from-config.js';

/** What the cloud's thread hands the scheduler thread. */
export interface SchedulerThreadData {
  config: Config;
  /** The cloud logger's level; the lines go back to the cloud's log destination. */
  logLevel: string;
}

/** Notices the thread sends: a log line for the cloud's destination, a timing for its metrics. */
export const LOG_NOTICE = 'log';
export const METRIC_NOTICE = 'metric';
/** Either way: what a placement write of one thread committed, for the other's read model. */
export const PLACEMENT_NOTICE = 'placement.committed';

/**
 * The inside of the scheduler thread: the scheduler on this thread's own connections to the API
 * and cell databases (it only reads them), with its own placement service on the placement
 * database (its claims are the only placement writes of a boot). The bus is the cloud's, reached
 * over `endpoint`. Tells the cloud's thread when it serves, and closes everything when asked.
 */
export async function runSchedulerThread(endpoint: MessageEndpoint, data: SchedulerThreadData): Promise<void> {
  const { config } = data;
  const channel = new PortChannel(endpoint);
  const logger = relayedLogger(channel, data.logLevel);
  const clock = new SystemClock();
  const ids = new RandomIdGenerator();
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stoppers.reverse()) await s().catch((err: unknown) => logger.error({ err }, 'the scheduler thread did not stop cleanly'));
    stoppers.length = 0;
  };
  channel.handle('thread.stop', stop);
  // The cloud's thread writes placement too (compute inventories, moves, deletes): its commits are
  // applied to this thread's model, and from before the model is loaded, lest one slip between.
  let placement: PlacementService | undefined;
  const early: CommittedWrite[] = [];
  const follow = (committed: CommittedWrite): void => {
    if (placement === undefined) early.push(committed);
    else void placement.applyPeerCommits(committed).catch((err: unknown) => logger.error({ err }, 'could not follow a placement write of the cloud thread'));
  };
  channel.onNotice(PLACEMENT_NOTICE, follow);
  try {
    const apiDatabase = openDatabase<ApiSchema>(config.api_database.connection);
    stoppers.push(() => apiDatabase.close());
    const cells = new CellDatabases({ clock, ids });
    stoppers.push(() => cells.closeAll());
    // Placement's policy only guards its REST routes, which this thread does not serve.
    const policy = await PolicyEngine.create({ defaults: placementRuleDefaults, ...(config.oslo_policy.policy_file ? { policyFile: config.oslo_policy.policy_file } : {}) });
    const ours = await PlacementService.create({ config, clock, ids, logger, policy });
    stoppers.push(() => ours.close());
    placement = ours;
    for (const committed of early.splice(0)) follow(committed);
    ours.followCommits((committed) => channel.notify(PLACEMENT_NOTICE, committed));
    const metrics: Metrics = { observe: (name, ms) => channel.notify(METRIC_NOTICE, { name, ms }) };
    const scheduler = schedulerFromConfig({ config, bus: new PortBus(channel), api: createApiRepos({ db: apiDatabase.db, clock, ids }), cells, placement: ours.client(), clock, logger, metrics });
    await scheduler.start();
    stoppers.push(() => scheduler.stop());
  } catch (err) {
    await stop();
    throw err;
  }
  await channel.request('thread.ready', {});
}

/** A logger whose lines are written by the cloud's thread, to the cloud's own destination. */
function relayedLogger(channel: PortChannel, level: string): Logger {
  const destination = { write: (line: string) => channel.notify(LOG_NOTICE, line) };
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination).child({ thread: 'scheduler' });
}
