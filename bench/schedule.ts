/**
 * `npm run bench -- schedule --hosts N --cells C --servers M --concurrency K`
 *
 * Builds N fake hosts over C cells in this process (SQLite files in a temporary directory, on tmpfs
 * when there is one), boots
 * M servers through the HTTP API with K requests in flight, waits until every one is ACTIVE or
 * ERROR, and prints a report whose last line is one JSON object.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/common/logger.js';
import { RecordingMetrics } from '../src/common/metrics.js';
import { parseConfigText } from '../src/config/index.js';
import { AllInOne } from '../src/services/all-in-one.js';
import { Worker } from 'node:worker_threads';
import type { LoadMessage, LoadOptions, LoadResult } from './schedule-load.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    hosts: { type: 'string', default: '100' },
    cells: { type: 'string', default: '2' },
    servers: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    flavor: { type: 'string', default: 'm1.nano' },
    // Seconds between each compute's periodic resource report (Nova's update_resources_interval).
    'resource-interval': { type: 'string', default: '60' },
    // The scheduler (and the placement claims it makes) in a thread of its own: [scheduler] in_worker_thread.
    'scheduler-thread': { type: 'string', default: 'false' },
  },
});
const hosts = Number(values.hosts);
if (values['scheduler-thread'] !== 'true' && values['scheduler-thread'] !== 'false') throw new Error('--scheduler-thread must be true or false');
const schedulerThread = values['scheduler-thread'] === 'true';
const cells = Number(values.cells);
const servers = Number(values.servers);
const concurrency = Number(values.concurrency);
for (const [k, v] of Object.entries({ hosts, cells, servers, concurrency })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
}

// The databases are throwaway: on tmpfs when the machine has one, so that the figures measure the
// control plane rather than the disk (a WAL commit costs ~3x more on ext4; see docs/benchmarks.md).
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tessera-bench-'));
const metrics = new RecordingMetrics();
const perCell = Math.ceil(hosts / cells);
const config = parseConfigText(
  [
    '[DEFAULT]', `state_path = ${dir}`, 'report_interval = 60', 'service_down_time = 600', `update_resources_interval = ${values['resource-interval']}`,
    '[api]', 'port = 0', 'max_limit = 1000',
    '[identity]', 'admin_password = bench', 'member_password = bench',
    '[cells]', `names = ${Array.from({ length: cells }, (_, i) => `cell${i + 1}`).join(',')}`, `hosts_per_cell = ${perCell}`,
    '[scheduler]', 'discover_hosts_in_cells_interval = -1', `in_worker_thread = ${schedulerThread}`,
    // Room for every server of the run, but finite limits: each boot still counts the project's usage.
    '[quota]', 'instances = 2147483647', 'cores = 2147483647', 'ram = 2147483647',
  ].join('\n'),
  'bench',
);

function bar(done: number, total: number, label: string): void {
  const width = 40;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}   `);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cloud = await AllInOne.start({ config, logger: createLogger({ level: 'warn', destination: join(dir, 'bench.log') }), persistCredentials: false, metrics });
  const startupS = (performance.now() - t0) / 1000;
  process.stdout.write(`cloud up: ${perCell * cells} hosts in ${cells} cells in ${startupS.toFixed(1)} s\n`);
  try {
    // The load generator (the POSTs and the status polls) runs in a worker thread, as a client
    // would in another process: the measured thread is the cloud's alone.
    const cpuBefore = process.cpuUsage();
    const eluBefore = performance.eventLoopUtilization();
    const load = await runLoad({ url: cloud.url, password: 'bench', servers, concurrency, flavor: values.flavor });
    const { active, errored, refused, seconds } = load;
    const cpu = process.cpuUsage(cpuBefore);
    const cloudBusyMs = performance.eventLoopUtilization(eluBefore).active;
    process.stderr.write('\n');
    const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
    const result = {
      hosts: perCell * cells,
      cells,
      servers,
      concurrency,
      active,
      errored,
      refused,
      boots_per_s: round(active / seconds),
      schedule_p50_ms: round(metrics.quantile('scheduler.decision', 0.5)),
      schedule_p99_ms: round(metrics.quantile('scheduler.decision', 0.99)),
      candidates_p50_ms: round(metrics.quantile('placement.allocation_candidates', 0.5)),
      candidates_p99_ms: round(metrics.quantile('placement.allocation_candidates', 0.99)),
      // CPU of the whole process (cloud and load generator) per booted server: unlike the rates,
      // it hardly moves when something else competes for the cores.
      cpu_ms_per_boot: round((cpu.user + cpu.system) / 1000 / Math.max(1, active)),
      // Busy time of each thread's event loop per booted server: the cloud's thread (every
      // service) and the load generator's. The cloud's thread is the ceiling: 1000 / this = boots/s.
      cloud_busy_ms_per_boot: round(cloudBusyMs / Math.max(1, active)),
      client_busy_ms_per_boot: round(load.busyMs / Math.max(1, active)),
      resource_interval_s: Number(values['resource-interval']),
      scheduler_thread: schedulerThread,
      startup_s: round(startupS),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`booted ${active} of ${servers} (${errored} ERROR, ${refused} refused) in ${seconds.toFixed(1)} s\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs bench/schedule-load.ts in a worker thread, drawing its progress reports as a bar. */
function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./schedule-load-entry.mjs', import.meta.url), { workerData: options });
    worker.on('message', (m: LoadMessage) => {
      if (m.kind === 'progress') bar(m.active + m.errored, options.servers, `ACTIVE ${m.active} ERROR ${m.errored}`);
      else resolve(m.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
}

await main();
