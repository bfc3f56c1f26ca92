import assert from 'node:assert/strict';
import type { ApiClient, HttpResult } from '../fixtures/test-cloud.js';
import { C } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

/** Where the network and volume APIs live under the cloud's URL. */
export const N = '/network/v2.0';
export const V = '/volume/v3';

/** POST /servers at a microversion with the given server object; the raw response. */
export function boot(client: ApiClient, mv: string, server: Record<string, unknown>): Promise<HttpResult> {
  return client.withMicroversion(mv).post(`${C}/servers`, { server: { flavorRef: '1', ...server } });
}

/** The id of the cloud's shared `private` network. */
export async function privateNetwork(client: ApiClient): Promise<string> {
  const res = await client.get(`${N}/networks?name=private`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.networks[0].id as string;
}

export async function createNetwork(client: ApiClient, name: string, cidr: string): Promise<string> {
  const net = await client.post(`${N}/networks`, { network: { name } });
  assert.equal(net.status, 201, JSON.stringify(net.body));
  const subnet = await client.post(`${N}/subnets`, { subnet: { network_id: net.body.network.id, cidr, ip_version: 4, name: `${name}-subnet` } });
  assert.equal(subnet.status, 201, JSON.stringify(subnet.body));
  return net.body.network.id as string;
}

export async function createPort(client: ApiClient, networkId: string, name: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await client.post(`${N}/ports`, { port: { network_id: networkId, name, ...extra } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.port;
}

/** A port as an admin sees it (with its binding), or undefined when it is gone. */
export async function port(admin: ApiClient, id: string): Promise<Record<string, any> | undefined> {
  const res = await admin.get(`${N}/ports/${id}`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.port;
}

/** The ports whose device is the server, as an admin sees them. */
export async function portsOf(admin: ApiClient, serverId: string): Promise<Record<string, any>[]> {
  const res = await admin.get(`${N}/ports?device_id=${serverId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.ports;
}

/** Every port of every project. */
export async function allPortIds(admin: ApiClient): Promise<string[]> {
  const res = await admin.get(`${N}/ports`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.ports as { id: string }[]).map((p) => p.id).sort();
}

export async function createVolume(client: ApiClient, volume: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.post(`${V}/volumes`, { volume });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.equal(res.body.volume.status, 'available');
  return res.body.volume;
}

/** A volume as an admin sees it, or undefined when it is gone. */
export async function volume(admin: ApiClient, id: string): Promise<Record<string, any> | undefined> {
  const res = await admin.get(`${V}/volumes/${id}`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.volume;
}

/** Every volume of every project. */
export async function allVolumeIds(admin: ApiClient): Promise<string[]> {
  const res = await admin.get(`${V}/volumes?all_tenants=1`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.volumes as { id: string }[]).map((v) => v.id).sort();
}

/** Every live attachment of a volume (reserved ones included), as an admin sees them. */
export async function attachmentsOf(admin: ApiClient, volumeId: string): Promise<Record<string, any>[]> {
  const res = await admin.request('GET', `${V}/attachments?all_tenants=1&volume_id=${volumeId}`, undefined, { 'OpenStack-API-Version': 'volume 3.44' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.attachments;
}

/** The volume is there, `available`, and nothing holds an attachment to it. */
export async function assertVolumeFree(admin: ApiClient, id: string): Promise<void> {
  const v = await volume(admin, id);
  assert.ok(v !== undefined, `volume ${id} still exists`);
  assert.equal(v['status'], 'available', `volume ${id}: ${JSON.stringify(v)}`);
  assert.deepEqual(await attachmentsOf(admin, id), [], `volume ${id} has no attachment left`);
}

/** The port is there and bound to nothing: no device, no owner, no host. */
export async function assertPortFree(admin: ApiClient, id: string): Promise<void> {
  const p = await port(admin, id);
  assert.ok(p !== undefined, `port ${id} still exists`);
  assert.equal(p['device_id'], '', `port ${id}: ${JSON.stringify(p)}`);
  assert.equal(p['binding:host_id'], '', `port ${id} is unbound`);
}

/** The consumer's allocations in placement (empty when it has none). */
export async function allocations(admin: ApiClient, consumer: string): Promise<Record<string, any>> {
  const res = await admin.withMicroversion(undefined).request('GET', `/placement/allocations/${consumer}`, undefined, { 'OpenStack-API-Version': 'placement 1.28' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.allocations;
}
