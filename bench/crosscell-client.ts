/**
 * The client side of `bench crosscell`, run in a worker thread so that its HTTP calls and tight
 * status polls do not run on the cloud's thread: runs the cross-cell scenarios of
 * test/functional/cross-cell-scenarios.test.ts (and three more) through the HTTP API, checking only
 * that each step answers with its expected code and each server reaches its expected status, then
 * times cross-cell resize + confirm on fresh servers. Asks the main thread (the cloud's) to arm and
 * disarm faults and for its event-loop busy time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiClient, login, type HttpResult } from '../test/fixtures/api-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

export type CloudName = 'main' | 'weigher';

export interface ClientOptions {
  /** Two cells of one host each: every move crosses cells. */
  mainUrl: string;
  /** Two cells of two hosts each, resize_confirm_window = 1 (weigher and auto-confirm scenarios). */
  weigherUrl: string;
  password: string;
  pollMs: number;
  resizeConfirmRuns: number;
}

export interface ScenarioResult {
  name: string;
  wallMs: number;
  /** User + system CPU of the whole process (cloud thread and this client thread). */
  cpuMs: number;
  /** Time the cloud's thread was busy (event-loop utilization), out of wallMs. */
  cloudBusyMs: number;
}

export interface ClientResult {
  scenarios: ScenarioResult[];
  resizeConfirmMs: number[];
}

/** Requests from this thread to the cloud's, and the answers. */
export type ControlRequest =
  | { id: number; op: 'arm' | 'disarm'; cloud: CloudName; fault: string; host?: string }
  | { id: number; op: 'busy' };
export type ControlReply = { id: number; value?: number; error?: string };
export type ClientMessage = { kind: 'control'; request: ControlRequest } | { kind: 'scenario'; result: ScenarioResult } | { kind: 'done'; result: ClientResult };

const C = '/compute/v2.1';
const H1 = 'cell1-compute1';
const H2 = 'cell2-compute1';

let nextControlId = 1;
const pending = new Map<number, { resolve: (v: number | undefined) => void; reject: (e: Error) => void }>();
parentPort?.on('message', (m: ControlReply) => {
  const p = pending.get(m.id);
  pending.delete(m.id);
  if (m.error !== undefined) p?.reject(new Error(m.error));
  else p?.resolve(m.value);
});
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
function control(request: WithoutId<ControlRequest>): Promise<number | undefined> {
  const id = nextControlId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    parentPort?.postMessage({ kind: 'control', request: { ...request, id } as ControlRequest } satisfies ClientMessage);
  });
}

class StepError extends Error {}

function expectCode(res: HttpResult, code: number, what: string): void {
  if (res.status !== code) throw new StepError(`${what}: expected HTTP ${code}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One cloud as the admin sees it through HTTP, with the steps the scenarios are made of. */
class Cloud {
  image = '';
  network = '';
  constructor(readonly name: CloudName, readonly admin: ApiClient, readonly pollMs: number) {}

  static async connect(name: CloudName, url: string, password: string, pollMs: number): Promise<Cloud> {
    const cloud = new Cloud(name, new ApiClient(url, await login(url, 'admin', password, 'admin'), undefined), pollMs);
    const images = await cloud.admin.get('/image/v2/images');
    expectCode(images, 200, 'list images');
    cloud.image = images.body.images[0].id;
    const nets = await cloud.admin.get('/network/v2.0/networks?name=private');
    expectCode(nets, 200, 'list networks');
    cloud.network = nets.body.networks[0].id;
    return cloud;
  }

  /**
   * Polls GET /servers/{id} every pollMs until the server shows `status` with no task; a server
   * going to ERROR instead (when ERROR is not awaited), or a timeout, fails the scenario.
   */
  async waitFor(id: string, status: string, timeoutMs = 10_000): Promise<any> {
    const deadline = performance.now() + timeoutMs;
    let last: any;
    for (;;) {
      const res = await this.admin.get(`${C}/servers/${id}`);
      if (res.status === 200) {
        last = res.body.server;
        if (last.status === status && last['OS-EXT-STS:task_state'] === null) return last;
        if (last.status === 'ERROR' && status !== 'ERROR') throw new StepError(`server ${id} went to ERROR waiting for ${status}: ${JSON.stringify(last.fault ?? {})}`);
      }
      if (performance.now() > deadline) {
        throw new StepError(`server ${id} not ${status} after ${timeoutMs} ms (last: ${last === undefined ? `HTTP ${res.status}` : `${last.status}/${last['OS-EXT-STS:task_state']}`})`);
      }
      await sleep(this.pollMs);
    }
  }

  async waitGone(id: string, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while ((await this.admin.get(`${C}/servers/${id}`)).status !== 404) {
      if (performance.now() > deadline) throw new StepError(`server ${id} not gone after ${timeoutMs} ms`);
      await sleep(this.pollMs);
    }
  }

  async create(name: string, opts: { volumeBacked?: boolean; stopped?: boolean; networks?: unknown; host?: string } = {}): Promise<string> {
    const res = await this.admin.withMicroversion('2.74').post(`${C}/servers`, {
      server: {
        name, flavorRef: '1', host: opts.host ?? H1, networks: opts.networks ?? [{ uuid: this.network, tag: 'nic1' }], tags: ['scenario'],
        ...(opts.volumeBacked === true
          ? { block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: this.image, boot_index: 0, volume_size: 1, delete_on_termination: true, tag: 'root' }] }
          : { imageRef: this.image }),
      },
    });
    expectCode(res, 202, `create ${name}`);
    const id: string = res.body.server.id;
    await this.waitFor(id, 'ACTIVE');
    if (opts.stopped === true) {
      await this.act(id, { 'os-stop': null });
      await this.waitFor(id, 'SHUTOFF');
    }
    return id;
  }

  async act(id: string, body: unknown, code = 202, mv?: string): Promise<void> {
    const res = await (mv === undefined ? this.admin : this.admin.withMicroversion(mv)).post(`${C}/servers/${id}/action`, body);
    expectCode(res, code, `${Object.keys(body as object)[0]} of ${id}`);
  }

  async host(id: string): Promise<string> {
    const res = await this.admin.withMicroversion('2.47').get(`${C}/servers/${id}`);
    expectCode(res, 200, `show ${id}`);
    return res.body.server['OS-EXT-SRV-ATTR:host'];
  }

  async expectHost(id: string, host: string, when: string): Promise<void> {
    const on = await this.host(id);
    if (on !== host) throw new StepError(`server ${id} on ${on} ${when}, expected ${host}`);
  }

  async createVolume(name: string): Promise<string> {
    const res = await this.admin.post('/volume/v3/volumes', { volume: { size: 1, name } });
    expectCode(res, 202, `create volume ${name}`);
    return res.body.volume.id;
  }

  async attach(id: string, volumeId: string): Promise<void> {
    const res = await this.admin.withMicroversion('2.79').post(`${C}/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId, tag: 'data' } });
    expectCode(res, 200, `attach ${volumeId} to ${id}`);
  }

  async detach(id: string, volumeId: string): Promise<void> {
    expectCode(await this.admin.delete(`${C}/servers/${id}/os-volume_attachments/${volumeId}`), 202, `detach ${volumeId} from ${id}`);
    const deadline = performance.now() + 10_000;
    for (;;) {
      const res = await this.admin.get(`${C}/servers/${id}/os-volume_attachments`);
      expectCode(res, 200, `list attachments of ${id}`);
      if ((res.body.volumeAttachments as any[]).length === 0) return;
      if (performance.now() > deadline) throw new StepError(`volume ${volumeId} still attached to ${id} after 10 s`);
      await sleep(this.pollMs);
    }
  }

  async destroy(id: string): Promise<void> {
    expectCode(await this.admin.delete(`${C}/servers/${id}`), 204, `delete ${id}`);
    await this.waitGone(id);
  }

  async migrationStatus(id: string): Promise<string | undefined> {
    const res = await this.admin.withMicroversion('2.80').get(`${C}/os-migrations?instance_uuid=${id}`);
    expectCode(res, 200, `migrations of ${id}`);
    return res.body.migrations[0]?.status;
  }

  async deleteVolume(volumeId: string): Promise<void> {
    expectCode(await this.admin.delete(`/volume/v3/volumes/${volumeId}`), 202, `delete volume ${volumeId}`);
  }
}

type Scenario = { name: string; cloud: CloudName; run: (c: Cloud) => Promise<void> };

/** Resize, VERIFY_RESIZE on the other cell's host; the caller confirms or reverts. */
async function resizeAcross(c: Cloud, id: string, flavorRef = '2', to = H2): Promise<void> {
  await c.act(id, { resize: { flavorRef } });
  await c.waitFor(id, 'VERIFY_RESIZE');
  await c.expectHost(id, to, 'after the resize');
}

async function failThenRecover(c: Cloud, fault: string, host: string): Promise<void> {
  const id = await c.create(`fail-${fault}`);
  await control({ op: 'arm', cloud: c.name, fault, host });
  try {
    await c.act(id, { resize: { flavorRef: '2' } });
    await c.waitFor(id, 'ERROR');
  } finally {
    await control({ op: 'disarm', cloud: c.name, fault });
  }
  await c.expectHost(id, H1, 'after the failed resize');
  await c.act(id, { reboot: { type: 'HARD' } });
  await c.waitFor(id, 'ACTIVE');
  await resizeAcross(c, id);
  await c.act(id, { confirmResize: null }, 204);
  await c.waitFor(id, 'ACTIVE');
  await c.destroy(id);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'resize+confirm, image-backed, volume attached while resized', cloud: 'main', run: async (c) => {
      const id = await c.create('resize-confirm-image');
      await resizeAcross(c, id);
      const data = await c.createVolume('data');
      await c.attach(id, data);
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      await c.destroy(id);
      await c.deleteVolume(data);
    },
  },
  {
    name: 'resize+revert, volume-backed', cloud: 'main', run: async (c) => {
      const id = await c.create('resize-revert-volume', { volumeBacked: true });
      await resizeAcross(c, id);
      await c.act(id, { revertResize: null });
      await c.waitFor(id, 'ACTIVE');
      await c.expectHost(id, H1, 'after the revert');
      await c.destroy(id);
    },
  },
  {
    name: 'revert after detaching a volume while resized', cloud: 'main', run: async (c) => {
      const id = await c.create('revert-detached');
      const data = await c.createVolume('data2');
      await c.attach(id, data);
      await resizeAcross(c, id);
      await c.detach(id, data);
      await c.act(id, { revertResize: null });
      await c.waitFor(id, 'ACTIVE');
      await c.expectHost(id, H1, 'after the revert');
      await c.destroy(id);
      await c.deleteVolume(data);
    },
  },
  {
    name: 'delete while VERIFY_RESIZE', cloud: 'main', run: async (c) => {
      const id = await c.create('delete-resized');
      await resizeAcross(c, id);
      await c.destroy(id);
    },
  },
  {
    name: 'cold migrate to a named host in the other cell + confirm', cloud: 'main', run: async (c) => {
      const id = await c.create('migrate-host');
      await c.act(id, { migrate: { host: H2 } }, 202, '2.56');
      await c.waitFor(id, 'VERIFY_RESIZE');
      await c.expectHost(id, H2, 'after the migration');
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      await c.destroy(id);
    },
  },
  {
    name: 'resize+confirm from stopped, volume-backed', cloud: 'main', run: async (c) => {
      const id = await c.create('stopped-confirm', { volumeBacked: true, stopped: true });
      await resizeAcross(c, id);
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'SHUTOFF');
      await c.destroy(id);
    },
  },
  {
    name: 'resize+revert from stopped, image-backed', cloud: 'main', run: async (c) => {
      const id = await c.create('stopped-revert', { stopped: true });
      await resizeAcross(c, id);
      await c.act(id, { revertResize: null });
      await c.waitFor(id, 'SHUTOFF');
      await c.expectHost(id, H1, 'after the revert');
      await c.destroy(id);
    },
  },
  { name: 'spawn failing at the destination, hard reboot, retry', cloud: 'main', run: (c) => failThenRecover(c, 'virt.finish_migration', H2) },
  { name: 'guest destroy failing at the source, hard reboot, retry', cloud: 'main', run: (c) => failThenRecover(c, 'virt.migrate_disk_and_power_off', H1) },
  {
    name: 'cold migrate + revert', cloud: 'main', run: async (c) => {
      const id = await c.create('migrate-revert');
      await c.act(id, { migrate: null });
      await c.waitFor(id, 'VERIFY_RESIZE');
      await c.expectHost(id, H2, 'after the migration');
      await c.act(id, { revertResize: null });
      await c.waitFor(id, 'ACTIVE');
      await c.expectHost(id, H1, 'after the revert');
      await c.destroy(id);
    },
  },
  {
    name: 'resize+confirm with two ports', cloud: 'main', run: async (c) => {
      const id = await c.create('two-ports', { networks: [{ uuid: c.network, tag: 'nic1' }, { uuid: c.network, tag: 'nic2' }] });
      await resizeAcross(c, id);
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      const ifaces = await c.admin.get(`${C}/servers/${id}/os-interface`);
      expectCode(ifaces, 200, `interfaces of ${id}`);
      if (ifaces.body.interfaceAttachments.length !== 2) throw new StepError(`server ${id} has ${ifaces.body.interfaceAttachments.length} ports after the confirm, expected 2`);
      await c.destroy(id);
    },
  },
  {
    name: 'resize across cells, then resize back', cloud: 'main', run: async (c) => {
      const id = await c.create('there-and-back');
      await resizeAcross(c, id, '2', H2);
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      await resizeAcross(c, id, '3', H1);
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      await c.destroy(id);
    },
  },
  {
    // The test waits for the auto-confirm of this cloud's 1 s window; here it is confirmed at once.
    name: 'weigher keeps a cold migration in its cell (2 hosts/cell)', cloud: 'weigher', run: async (c) => {
      const id = await c.create('stay', { networks: 'none' });
      await c.act(id, { migrate: null });
      await c.waitFor(id, 'VERIFY_RESIZE');
      await c.expectHost(id, 'cell1-compute2', 'after the migration');
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
      await c.destroy(id);
    },
  },
  {
    // Waits, by design, for resize_confirm_window (1 s, polled every 1 s): between 1 and 2 s idle.
    name: 'auto-confirm after resize_confirm_window = 1 s (2 hosts/cell)', cloud: 'weigher', run: async (c) => {
      const id = await c.create('auto', { networks: 'none' });
      await c.act(id, { migrate: { host: 'cell2-compute2' } }, 202, '2.56');
      const deadline = performance.now() + 8000;
      while ((await c.migrationStatus(id)) !== 'confirmed') {
        if (performance.now() > deadline) throw new StepError(`the move of ${id} is not confirmed after 8 s`);
        await sleep(c.pollMs);
      }
      await c.waitFor(id, 'ACTIVE');
      await c.expectHost(id, 'cell2-compute2', 'after the auto-confirm');
      await c.destroy(id);
    },
  },
];

async function measure(name: string, work: () => Promise<void>): Promise<ScenarioResult> {
  const busy0 = (await control({ op: 'busy' })) ?? 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await work();
  } catch (err) {
    throw new Error(`scenario "${name}" did not reach its final state: ${(err as Error).message}`, { cause: err });
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const busy1 = (await control({ op: 'busy' })) ?? 0;
  return { name, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, cloudBusyMs: busy1 - busy0 };
}

async function run(o: ClientOptions): Promise<ClientResult> {
  const clouds: Record<CloudName, Cloud> = {
    main: await Cloud.connect('main', o.mainUrl, o.password, o.pollMs),
    weigher: await Cloud.connect('weigher', o.weigherUrl, o.password, o.pollMs),
  };
  const scenarios: ScenarioResult[] = [];
  for (const s of SCENARIOS) {
    const result = await measure(s.name, () => s.run(clouds[s.cloud]));
    scenarios.push(result);
    parentPort?.postMessage({ kind: 'scenario', result } satisfies ClientMessage);
  }

  // One cross-cell resize + confirm on a fresh server each: resize call to ACTIVE after confirm.
  const c = clouds.main;
  const resizeConfirmMs: number[] = [];
  for (let i = 0; i < o.resizeConfirmRuns; i++) {
    const id = await c.create(`rc-${i}`);
    const t0 = performance.now();
    try {
      await c.act(id, { resize: { flavorRef: '2' } });
      await c.waitFor(id, 'VERIFY_RESIZE');
      await c.act(id, { confirmResize: null }, 204);
      await c.waitFor(id, 'ACTIVE');
    } catch (err) {
      throw new Error(`resize + confirm run ${i + 1} did not reach ACTIVE: ${(err as Error).message}`, { cause: err });
    }
    resizeConfirmMs.push(performance.now() - t0);
    await c.expectHost(id, H2, 'after resize + confirm');
    await c.destroy(id);
  }
  return { scenarios, resizeConfirmMs };
}

if (parentPort !== null) {
  const result = await run(workerData as ClientOptions);
  parentPort.postMessage({ kind: 'done', result } satisfies ClientMessage);
}
