import assert from 'node:assert/strict';
import { waitFor, type ApiClient, type HttpResult } from '../fixtures/test-cloud.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

/** Where the compute API lives under the cloud's URL. */
export const C = '/compute/v2.1';

/** Hosts of each cell in the test cloud. */
export const CELL_HOSTS: Record<string, string[]> = {
  cell1: ['cell1-compute1', 'cell1-compute2'],
  cell2: ['cell2-compute1', 'cell2-compute2'],
};
export const ALL_HOSTS = [...(CELL_HOSTS['cell1'] ?? []), ...(CELL_HOSTS['cell2'] ?? [])];

/** The id of the cloud's only image, read through the image API. */
export async function imageId(client: ApiClient): Promise<string> {
  const res = await client.get('/image/v2/images');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const id: unknown = res.body.images?.[0]?.id;
  assert.equal(typeof id, 'string', 'the cloud has an image');
  return id as string;
}

export interface ServerRequest {
  name: string;
  imageRef: string;
  flavorRef?: string;
  zone?: string;
  extra?: Record<string, unknown>;
}

/** POST /servers at microversion 2.37 with `networks: none`; returns the raw response. */
export function postServer(client: ApiClient, r: ServerRequest): Promise<HttpResult> {
  return client.withMicroversion('2.37').post(`${C}/servers`, {
    server: {
      name: r.name,
      imageRef: r.imageRef,
      flavorRef: r.flavorRef ?? '1',
      networks: 'none',
      ...(r.zone === undefined ? {} : { availability_zone: r.zone }),
      ...(r.extra ?? {}),
    },
  });
}

/** Creates one server and returns its id, asserting the 202. */
export async function createServer(client: ApiClient, r: ServerRequest): Promise<string> {
  const res = await postServer(client, r);
  assert.equal(res.status, 202, `create ${r.name}: ${JSON.stringify(res.body)}`);
  const id: unknown = res.body.server?.id;
  assert.equal(typeof id, 'string');
  return id as string;
}

/** Enables or disables the nova-compute service of a host through os-services (2.53). */
export async function setService(admin: ApiClient, host: string, status: 'enabled' | 'disabled'): Promise<void> {
  const list = await admin.withMicroversion('2.53').get(`${C}/os-services?host=${host}&binary=nova-compute`);
  const id = list.body.services[0].id as string;
  const res = await admin.withMicroversion('2.53').put(`${C}/os-services/${id}`, { status, ...(status === 'disabled' ? { disabled_reason: 'test' } : {}) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** Waits until GET /servers/{id} answers 404. */
export async function waitForGone(client: ApiClient, id: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(`server ${id} to be gone`, async () => ((await client.get(`${C}/servers/${id}`)).status === 404 ? true : undefined), timeoutMs);
}

/** Waits until the server settles in one of `statuses` with no task in progress; returns its body. */
export async function waitForSettled(client: ApiClient, id: string, statuses: string[] = ['ACTIVE', 'ERROR'], timeoutMs = 10_000): Promise<Record<string, any>> {
  return waitFor(`server ${id} to settle in ${statuses.join('|')}`, async () => {
    const res = await client.get(`${C}/servers/${id}`);
    const s = res.status === 200 ? (res.body.server as Record<string, any>) : undefined;
    return s !== undefined && statuses.includes(s['status'] as string) && s['OS-EXT-STS:task_state'] === null ? s : undefined;
  }, timeoutMs);
}

/** Every server of every project, as an administrator sees them (build requests and cell0 included). */
export async function allServerIds(admin: ApiClient): Promise<string[]> {
  const res = await admin.get(`${C}/servers?all_tenants=1`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.servers as { id: string }[]).map((s) => s.id);
}

/** Asserts a Nova-shaped error body: `{"<key>": {"code": <status>, "message": "..."}}`; returns the message. */
export function assertNovaError(res: HttpResult, status: number, key: string): string {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.ok(res.body !== null && typeof res.body === 'object', `error body is an object: ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body as object), [key], `error body has exactly the key ${key}: ${JSON.stringify(res.body)}`);
  const inner = (res.body as Record<string, any>)[key];
  assert.equal(inner.code, status);
  assert.equal(typeof inner.message, 'string');
  assert.ok((inner.message as string).length > 0, 'error message is not empty');
  return inner.message as string;
}

/** Sends a request with raw (not JSON-encoded) body text and extra headers, as the client would. */
export async function rawRequest(client: ApiClient, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<HttpResult> {
  const res = await fetch(`${client.baseUrl}${path}`, {
    method,
    headers: { Accept: 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

