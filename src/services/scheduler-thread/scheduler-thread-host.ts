import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { Config } from '../../config/index.js';
import { parseDatabaseUrl } from '../../db/connection.js';
import type { RpcBus } from '../../rpc/bus.js';
import { bridgeBus } from '../../rpc/port/port-bus.js';
import { PortChannel } from '../../rpc/port/port-channel.js';
import type { PlacementService } from '../../placement/index.js';
import type { ProviderChange } from '../../placement/model/provider-change.js';
import { LOG_NOTICE, METRIC_NOTICE, PLACEMENT_NOTICE, type SchedulerThreadData } from './scheduler-thread.js';

export interface SchedulerThreadDeps {
  config: Config;
  /** The cloud's bus: the thread serves its scheduler topic. */
  bus: RpcBus;
  /** The thread's lines go to this logger's destination, at its level. */
  logger: Logger;
  metrics?: Metrics;
  /** The cloud thread's placement service: the two follow each other's writes. */
  placement: Pick<PlacementService, 'followCommits' | 'applyPeerCommits'>;
}

/**
 * `[scheduler] in_worker_thread`: the scheduler in a worker thread of this process (see
 * scheduler-thread.ts), seen from the cloud's thread. The cloud's bus carries the conductor's
 * calls to it; its log lines and timings come back here.
 */
export class SchedulerThread {
  private constructor(
    private readonly worker: Worker,
    private readonly channel: PortChannel,
    private readonly bridge: { close(): Promise<void> },
    private readonly unfollow: () => void,
  ) {}

  /** Starts the thread and resolves once its scheduler serves; rejects with what went wrong. */
  static async start(deps: SchedulerThreadDeps): Promise<SchedulerThread> {
    const memory = inMemoryDatabases(deps.config);
    if (memory.length > 0) {
      throw new TesseraError('config.scheduler_thread_needs_files', 400, `[scheduler] in_worker_thread needs databases in files; in memory: ${memory.join(', ')}`);
    }
    const data: SchedulerThreadData = { config: deps.config, logLevel: deps.logger.level };
    const worker = new Worker(new URL('./scheduler-thread-entry.mjs', import.meta.url), { workerData: data });
    const channel = new PortChannel(worker);
    const destination = (deps.logger as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym];
    channel.onNotice(LOG_NOTICE, (line: string) => destination?.write(line));
    channel.onNotice(METRIC_NOTICE, (m: { name: string; ms: number }) => deps.metrics?.observe(m.name, m.ms));
    channel.onNotice(PLACEMENT_NOTICE, (changes: ProviderChange[]) => {
      deps.placement.applyPeerCommits(changes).catch((err: unknown) => deps.logger.error({ err }, 'could not follow a placement write of the scheduler thread'));
    });
    const unfollow = deps.placement.followCommits((changes) => channel.notify(PLACEMENT_NOTICE, changes));
    const bridge = bridgeBus(deps.bus, channel);
    const thread = new SchedulerThread(worker, channel, bridge, unfollow);
    try {
      await new Promise<void>((resolve, reject) => {
        channel.handle('thread.ready', () => Promise.resolve(resolve()));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the scheduler thread exited with ${code} while starting`)));
      });
    } catch (err) {
      await thread.stop();
      throw err;
    }
    worker.on('error', (err) => deps.logger.error({ err, service: 'nova-scheduler' }, 'the scheduler thread failed'));
    return thread;
  }

  /** Stops its scheduler, closes its databases and ends the thread. */
  async stop(): Promise<void> {
    this.unfollow();
    await this.channel.request('thread.stop', {}).catch(() => undefined);
    await this.bridge.close();
    this.channel.close(new Error('the scheduler thread stopped'));
    await this.worker.terminate();
  }
}

function inMemoryDatabases(config: Config): string[] {
  const urls: Record<string, string> = {
    '[api_database] connection': config.api_database.connection,
    '[database] connection': config.database.connection,
    '[placement_database] connection': config.placement_database.connection,
  };
  return Object.entries(urls)
    .filter(([, url]) => {
      const parsed = parseDatabaseUrl(url);
      return parsed.dialect === 'sqlite' && parsed.path === ':memory:';
    })
    .map(([name]) => name);
}
