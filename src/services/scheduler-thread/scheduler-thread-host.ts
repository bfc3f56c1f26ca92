import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { Config } from '../../config/index.js';
import { parseDatabaseUrl } from '../../db/connection.js';
import type { PlacementService } from '../../placement/index.js';
import type { CommittedWrite } from '../../placement/store/read-model-sync.js';
import type { RpcBus } from '../../rpc/bus.js';
import { bridgeBus } from '../../rpc/port/port-bus.js';
import { PortChannel } from '../../rpc/port/port-channel.js';
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
  /** How long to wait for the thread to start serving, and to stop (default 60 s and 10 s). */
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/**
 * `[scheduler] in_worker_thread`: the scheduler in a worker thread of this process (see
 * scheduler-thread.ts), seen from the cloud's thread. The cloud's bus carries the conductor's
 * calls to it; its log lines and timings come back here. A thread that ends on its own is
 * logged, and what waited on it fails at once: the scheduler topic is no longer served here, so
 * later builds fail as with no scheduler at all instead of waiting for the bus's timeout.
 */
export class SchedulerThread {
  private exited = false;
  private stopping = false;

  private constructor(
    private readonly deps: SchedulerThreadDeps,
    private readonly worker: Worker,
    private readonly channel: PortChannel,
    private readonly bridge: { close(): Promise<void> },
    private readonly unfollow: () => void,
  ) {
    worker.on('error', (err) => deps.logger.error({ err, service: 'nova-scheduler' }, 'the scheduler thread failed'));
    worker.on('exit', (code) => {
      this.exited = true;
      if (!this.stopping) deps.logger.error({ service: 'nova-scheduler', exit_code: code }, 'the scheduler thread ended; builds fail until the cloud restarts');
      this.release(new Error(`the scheduler thread ended (exit code ${code})`));
    });
  }

  /** Starts the thread and resolves once its scheduler serves; rejects with what went wrong there. */
  static async start(deps: SchedulerThreadDeps): Promise<SchedulerThread> {
    const memory = inMemoryDatabases(deps.config);
    if (memory.length > 0) {
      throw new TesseraError('config.scheduler_thread_needs_files', 400, `[scheduler] in_worker_thread cannot share SQLite databases in memory: ${memory.join(', ')}`);
    }
    const data: SchedulerThreadData = { config: deps.config, logLevel: deps.logger.level };
    const worker = new Worker(new URL('./scheduler-thread-entry.mjs', import.meta.url), { workerData: data });
    const channel = new PortChannel(worker);
    const destination = (deps.logger as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym];
    channel.onNotice(LOG_NOTICE, (line: string) => destination?.write(line));
    channel.onNotice(METRIC_NOTICE, (m: { name: string; ms: number }) => deps.metrics?.observe(m.name, m.ms));
    channel.onNotice(PLACEMENT_NOTICE, (committed: CommittedWrite) => {
      deps.placement.applyPeerCommits(committed).catch((err: unknown) => deps.logger.error({ err }, 'could not follow a placement write of the scheduler thread'));
    });
    const unfollow = deps.placement.followCommits((committed) => channel.notify(PLACEMENT_NOTICE, committed));
    const ready = new Promise<void>((resolve, reject) => {
      channel.handle('thread.ready', () => Promise.resolve(resolve()));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the scheduler thread exited with code ${code} while starting`)));
      setTimeout(() => reject(new Error(`the scheduler thread did not start within ${deps.startTimeoutMs ?? 60_000} ms`)), deps.startTimeoutMs ?? 60_000).unref();
    });
    const thread = new SchedulerThread(deps, worker, channel, bridgeBus(deps.bus, channel), unfollow);
    try {
      await ready;
    } catch (err) {
      // The error that stopped the start is the one to report; stopping logs its own trouble.
      await thread.stop().catch((e: unknown) => deps.logger.error({ err: e }, 'could not stop the scheduler thread after it failed to start'));
      throw err;
    }
    return thread;
  }

  /** Stops its scheduler, closes its databases and ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.exited) {
      const timeoutMs = this.deps.stopTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the scheduler thread did not stop within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([this.channel.request('thread.stop', {}), timedOut]);
      } catch (err) {
        this.deps.logger.error({ err, service: 'nova-scheduler' }, 'the scheduler thread did not stop cleanly; ending it');
      } finally {
        clearTimeout(timer);
      }
    }
    this.release(new Error('the scheduler thread stopped'));
    await this.bridge.close();
    await this.worker.terminate();
  }

  /** Stops following placement and fails whatever still waits on the thread. */
  private release(reason: Error): void {
    this.unfollow();
    this.channel.close(reason);
    if (!this.stopping) void this.bridge.close().catch((err: unknown) => this.deps.logger.error({ err }, 'could not stop serving the scheduler topic'));
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
