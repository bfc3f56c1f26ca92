/**
 * `npm run bench -- crosscell [--poll-ms 2] [--runs 10]`
 *
 * Starts two clouds in this process on in-memory SQLite (silent logger, a policy file granting
 * `compute:servers:resize:cross_cell` to admins): the main one with two cells of one host each, so
 * that every move crosses cells, and a small one with two hosts per cell and
 * resize_confirm_window = 1 for the weigher and auto-confirm scenarios. A worker thread then runs the
 * 14 cross-cell scenarios through the HTTP API (bench/crosscell-client.ts), polling server status
 * every --poll-ms, and times --runs cross-cell resize + confirm on fresh servers. Prints per-scenario
 * wall time, process CPU time and the cloud thread's busy time, then one JSON object as the last line.
 * A scenario that does not reach its final state fails the bench (exit 1).
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { ClientMessage, ClientOptions, ClientResult, CloudName, ControlReply, ControlRequest, ScenarioResult } from './crosscell-client.js';
import { BENCH_PASSWORD, startMemoryCloud, type MemoryCloud } from './support/memory-cloud.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    'poll-ms': { type: 'string', default: '2' },
    runs: { type: 'string', default: '10' },
  },
});
const pollMs = Number(values['poll-ms']);
const runs = Number(values.runs);
if (!Number.isInteger(pollMs) || pollMs < 0) throw new Error('--poll-ms must be a non-negative integer');
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

const CROSS_CELL_POLICY = ['"compute:servers:resize:cross_cell": "role:admin"'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const num = (v: number, n: number, digits = 0): string => v.toFixed(digits).padStart(n);

function printRow(i: number, r: ScenarioResult): void {
  process.stdout.write(`${String(i).padStart(2)}  ${pad(r.name, 66)} ${num(r.wallMs, 8, 1)} ${num(r.cpuMs, 8, 1)} ${num(r.cloudBusyMs, 9, 1)}\n`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const clouds: MemoryCloud[] = [];
  try {
    const mainCloud = await startMemoryCloud({ hostsPerCell: 1, policy: CROSS_CELL_POLICY });
    clouds.push(mainCloud);
    const weigherCloud = await startMemoryCloud({ hostsPerCell: 2, policy: CROSS_CELL_POLICY, extraConfig: '[DEFAULT]\nresize_confirm_window = 1' });
    clouds.push(weigherCloud);
    const byName: Record<CloudName, MemoryCloud> = { main: mainCloud, weigher: weigherCloud };
    process.stdout.write(`clouds up in ${((performance.now() - t0) / 1000).toFixed(2)} s (2 cells x 1 host; 2 cells x 2 hosts); polling every ${pollMs} ms\n`);
    process.stdout.write(`${pad('#', 4)}${pad('scenario', 66)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'busy ms'.padStart(9)}\n`);

    let printed = 0;
    const result = await runClient(
      { mainUrl: mainCloud.url, weigherUrl: weigherCloud.url, password: BENCH_PASSWORD, pollMs, resizeConfirmRuns: runs },
      (r) => printRow(++printed, r),
      (req) => {
        if (req.op === 'busy') return performance.eventLoopUtilization().active;
        const faults = byName[req.cloud].cloud.faults;
        if (req.op === 'arm') faults.arm(req.fault, req.host === undefined ? {} : { host: req.host });
        else faults.disarm(req.fault);
        return undefined;
      },
    );

    const totalMs = result.scenarios.reduce((s, r) => s + r.wallMs, 0);
    const cpuMs = result.scenarios.reduce((s, r) => s + r.cpuMs, 0);
    const busyMs = result.scenarios.reduce((s, r) => s + r.cloudBusyMs, 0);
    const autoConfirm = result.scenarios.find((r) => r.name.startsWith('auto-confirm'));
    process.stdout.write(`${pad('', 4)}${pad('total', 66)} ${num(totalMs, 8, 1)} ${num(cpuMs, 8, 1)} ${num(busyMs, 9, 1)}\n`);
    const sorted = [...result.resizeConfirmMs].sort((a, b) => a - b);
    process.stdout.write(`resize + confirm (resize call to ACTIVE after confirm), ${runs} runs: median ${median(sorted).toFixed(1)} ms, min ${sorted[0]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms\n`);

    const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
    process.stdout.write(`${JSON.stringify({
      scenarios: result.scenarios.length,
      total_s: round(totalMs / 1000, 3),
      resize_confirm_ms: round(median(sorted)),
      // The auto-confirm scenario waits for its 1 s confirm window (polled each second) by design.
      total_s_without_auto_confirm: round((totalMs - (autoConfirm?.wallMs ?? 0)) / 1000, 3),
      cpu_s: round(cpuMs / 1000, 3),
      cloud_busy_s: round(busyMs / 1000, 3),
      resize_confirm_min_ms: round(sorted[0] ?? 0),
      resize_confirm_max_ms: round(sorted[sorted.length - 1] ?? 0),
      resize_confirm_runs: runs,
      poll_ms: pollMs,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`);
  } finally {
    for (const c of clouds.reverse()) await c.stop();
  }
}

/** Runs bench/crosscell-client.ts in a worker thread, answering its control requests. */
function runClient(options: ClientOptions, onScenario: (r: ScenarioResult) => void, onControl: (r: ControlRequest) => number | undefined): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./crosscell-client-entry.mjs', import.meta.url), { workerData: options });
    worker.on('message', (m: ClientMessage) => {
      if (m.kind === 'scenario') onScenario(m.result);
      else if (m.kind === 'done') {
        resolve(m.result);
        // The worker keeps listening for control replies; it has nothing more to do.
        worker.removeAllListeners('exit');
        void worker.terminate();
      }
      else {
        let reply: ControlReply;
        try {
          const value = onControl(m.request);
          reply = value === undefined ? { id: m.request.id } : { id: m.request.id, value };
        } catch (err) {
          reply = { id: m.request.id, error: (err as Error).message };
        }
        worker.postMessage(reply);
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`client worker exited with ${code}`))));
  });
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench crosscell failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
