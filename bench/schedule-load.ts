/**
 * The load generator of `bench schedule`, run in a worker thread: logs in, boots `servers`
 * servers through `POST /servers` with `concurrency` requests in flight, and follows them through
 * `GET /servers/detail` until each is ACTIVE or ERROR. Posts progress reports and then the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiClient, login } from '../test/fixtures/test-cloud.js';

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
}

export type LoadMessage = { kind: 'progress'; active: number; errored: number } | { kind: 'done'; result: LoadResult };

async function run(o: LoadOptions): Promise<LoadResult> {
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

  let active = 0;
  let errored = 0;
  let lastDone = performance.now();
  for (;;) {
    const counts = await countByStatus(admin);
    if (counts['ACTIVE'] !== active || counts['ERROR'] !== errored) lastDone = performance.now();
    active = counts['ACTIVE'] ?? 0;
    errored = counts['ERROR'] ?? 0;
    parentPort?.postMessage({ kind: 'progress', active, errored } satisfies LoadMessage);
    if (active + errored + refused >= o.servers) break;
    if (performance.now() - lastDone > 120_000) throw new Error('no progress for 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  await posting;
  return { active, errored, refused, seconds: (lastDone - Math.min(...acceptedAt)) / 1000 };
}

/** Counts servers by status over the API, following every page. */
async function countByStatus(admin: ApiClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = { ACTIVE: 0, ERROR: 0 };
  let marker: string | undefined;
  for (;;) {
    const page = await admin.get(`/compute/v2.1/servers/detail?all_tenants=1&limit=1000${marker ? `&marker=${marker}` : ''}`);
    const list = page.body.servers as { id: string; status: string }[];
    for (const s of list) counts[s.status] = (counts[s.status] ?? 0) + 1;
    if (list.length < 1000) return counts;
    marker = list[list.length - 1]?.id;
  }
}

if (parentPort !== null) {
  const result = await run(workerData as LoadOptions);
  parentPort.postMessage({ kind: 'done', result } satisfies LoadMessage);
}
