import assert from 'node:assert/strict';
import { waitFor, waitForStatus, type ApiClient } from '../fixtures/test-cloud.js';
import { allocations } from './boot-devices.js';
import { C } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

/** Resources a flavor takes from a host in placement (a volume-backed root disk takes none). */
export function flavorUse(f: { vcpus: number; memory_mb: number; root_gb: number }, volumeBacked: boolean): Record<string, number> {
  return { VCPU: f.vcpus, MEMORY_MB: f.memory_mb, ...(volumeBacked ? {} : { DISK_GB: f.root_gb }) };
}

/** Host name → resource provider uuid, from os-hypervisors (2.53 shows uuids). */
export async function providersByHost(admin: ApiClient): Promise<Map<string, string>> {
  const res = await admin.withMicroversion('2.53').get(`${C}/os-hypervisors/detail`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return new Map((res.body.hypervisors as any[]).map((h) => [h.service.host as string, h.id as string]));
}

/** A consumer's allocations as host name → resources. */
export async function allocationsByHost(admin: ApiClient, consumer: string, hosts: Map<string, string>): Promise<Record<string, Record<string, number>>> {
  const byRp = await allocations(admin, consumer);
  const names = new Map([...hosts].map(([h, rp]) => [rp, h]));
  return Object.fromEntries(Object.entries(byRp).map(([rp, a]) => [names.get(rp) ?? rp, (a as any).resources]));
}

/** Each host's vCPUs and RAM in use, as os-hypervisors shows them (before 2.88). */
export async function hypervisorUsage(admin: ApiClient): Promise<Record<string, { vcpus: number; ram: number }>> {
  const res = await admin.withMicroversion('2.53').get(`${C}/os-hypervisors/detail`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return Object.fromEntries((res.body.hypervisors as any[]).map((h) => [h.service.host, { vcpus: h.vcpus_used, ram: h.memory_mb_used }]));
}

/** Waits until the hosts' usage is as expected (the trackers report a moment after the server settles). */
export async function waitForUsage(admin: ApiClient, expected: Record<string, { vcpus: number; ram: number }>): Promise<void> {
  let last: unknown;
  try {
    await waitFor('hypervisor usage', async () => {
      const usage = await hypervisorUsage(admin);
      last = usage;
      return Object.entries(expected).every(([h, u]) => usage[h]?.vcpus === u.vcpus && usage[h]?.ram === u.ram) ? true : undefined;
    }, 5000);
  } catch {
    assert.fail(`hypervisor usage ${JSON.stringify(last)} is not ${JSON.stringify(expected)}`);
  }
}

/** The instance's migrations as os-migrations lists them (newest first), at 2.80. */
export async function migrationsOf(admin: ApiClient, serverId: string): Promise<any[]> {
  const res = await admin.withMicroversion('2.80').get(`${C}/os-migrations?instance_uuid=${serverId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.migrations;
}

/** Action names, oldest first, with each action's events as `event:result`. */
export async function actionsOf(admin: ApiClient, serverId: string): Promise<{ action: string; request_id: string; events: string[] }[]> {
  const list = await admin.withMicroversion('2.84').get(`${C}/servers/${serverId}/os-instance-actions`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const out = [];
  for (const a of [...(list.body.instanceActions as any[])].reverse()) {
    const shown = await admin.withMicroversion('2.84').get(`${C}/servers/${serverId}/os-instance-actions/${a.request_id}`);
    const events = ((shown.body.instanceAction.events ?? []) as any[]).map((e) => `${e.event}:${e.result}`).sort();
    out.push({ action: a.action as string, request_id: a.request_id as string, events });
  }
  return out;
}

/** The project's cores and RAM in use, as GET /limits shows them. */
export async function quotaUsage(client: ApiClient): Promise<{ instances: number; cores: number; ram: number }> {
  const res = await client.get(`${C}/limits`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const a = res.body.limits.absolute;
  return { instances: a.totalInstancesUsed, cores: a.totalCoresUsed, ram: a.totalRAMUsed };
}

/** The server as an admin sees it at 2.47 (flavor embedded, host shown). */
export async function adminServer(admin: ApiClient, id: string): Promise<any> {
  const res = await admin.withMicroversion('2.47').get(`${C}/servers/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.server;
}

/** POSTs an action and asserts its status. */
export async function act(client: ApiClient, id: string, body: unknown, status = 202, mv?: string): Promise<void> {
  const res = await (mv === undefined ? client : client.withMicroversion(mv)).post(`${C}/servers/${id}/action`, body);
  assert.equal(res.status, status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
}

export { waitForStatus };
