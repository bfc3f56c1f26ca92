/**
 * The load generator of `bench schedule`, run in a worker thread: logs in, boots `servers`
 * servers through `POST /servers` with `concurrency` requests in flight, and follows them through
 * `GET /servers/detail?changes-since=...` until each is ACTIVE or ERROR. Posts progress reports and then the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiClient, login } from '../test/fixtures/api-client.js';

export interface LoadOptions {
  url: string;
  password: string;
  servers: number;
  concurrency: number;
  flavor: string;
}

export interface LoadResult {
  active: number;
  errored: number;
  refused: number;
  /** From the first accepted POST to the last server reaching ACTIVE or ERROR. */
  seconds: number;
  /** How long this thread's event loop was busy (the client's own cost), in ms. */
  busyMs: number;
}

export type LoadMessage = { kind: 'progress'; active: number; errored: number } | { kind: 'done'; result: LoadResult };

async function run(o: LoadOptions): Promise<LoadResult> {
  const eluBefore = performance.eventLoopUtilization();
  const admin = new ApiClient(o.url, await login(o.url, 'admin', o.password, 'admin'), '2.37');
  const image = (await admin.get('/image/v2/images')).body.images[0].id as string;
  const flavorId = ((await admin.get('/compute/v2.1/flavors')).body.flavors as { id: string; name: string }[]).find((f) => f.name === o.flavor)?.id;
  if (flavorId === undefined) throw new Error(`no flavor ${o.flavor}`);

  const acceptedAt: number[] = [];
  let next = 0;
  let refused = 0;
  const worker = async (): Promise<void> => {
    while (next < o.servers) {
      const i = next++;
      const res = await admin.post('/compute/v2.1/servers', { server: { name: `bench-${i}`, imageRef: image, flavorRef: flavorId, networks: 'none' } });
      if (res.status === 202) acceptedAt.push(performance.now());
      else refused++;
    }
  };
  const posting = Promise.all(Array.from({ length: o.concurrency }, worker));

  // Follows the servers as a watching client would: each poll asks only for what changed since
  // the previous one (changes-since, with a margin), so its cost does not grow with the fleet.
  const status = new Map<string, string>();
  let since: string | undefined;
  let active = 0;
  let errored = 0;
  let lastDone = performance.now();
  for (;;) {
    const pollStarted = Date.now();
    for (const s of await changedServers(admin, since)) status.set(s.id, s.status);
    since = new Date(pollStarted - 2000).toISOString();
    let nowActive = 0;
    let nowErrored = 0;
    for (const st of status.values()) {
      if (st === 'ACTIVE') nowActive++;
      else if (st === 'ERROR') nowErrored++;
    }
    if (nowActive !== active || nowErrored !== errored) lastDone = performance.now();
    active = nowActive;
    errored = nowErrored;
    parentPort?.postMessage({ kind: 'progress', active, errored } satisfies LoadMessage);
    if (active + errored + refused >= o.servers) break;
    if (performance.now() - lastDone > 120_000) throw new Error('no progress for 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  await posting;
  return { active, errored, refused, seconds: (lastDone - Math.min(...acceptedAt)) / 1000, busyMs: performance.eventLoopUtilization(eluBefore).active };
}

/** The servers changed since `since` (all of them without it), following every page. */
async function changedServers(admin: ApiClient, since: string | undefined): Promise<{ id: string; status: string }[]> {
  const out: { id: string; status: string }[] = [];
  let marker: string | undefined;
  for (;;) {
    const query = `all_tenants=1&limit=1000${since ? `&changes-since=${encodeURIComponent(since)}` : ''}${marker ? `&marker=${marker}` : ''}`;
    const list = (await admin.get(`/compute/v2.1/servers/detail?${query}`)).body.servers as { id: string; status: string }[];
    out.push(...list);
    if (list.length < 1000) return out;
    marker = list[list.length - 1]?.id;
  }
}

if (parentPort !== null) {
  const result = await run(workerData as LoadOptions);
  parentPort.postMessage({ kind: 'done', result } satisfies LoadMessage);
}
