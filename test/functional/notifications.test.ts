import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '../../src/notifications/index.js';
import { UNLIMITED_INSTANCE_QUOTAS, startTestCloud, waitFor, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { C, createServer, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- payload data is untyped JSON */

describe('versioned notifications', () => {
  let t: TestCloud;
  let dir: string;
  let sinkFile: string;
  let image: string;
  const seen: Notification[] = [];

  const about = (uuid: string) => seen.filter((n) => (n.payload['nova_object.data'] as any).uuid === uuid);
  const data = (n: Notification | undefined): any => (n ?? assert.fail('no such notification')).payload['nova_object.data'];
  const waitForEvent = (uuid: string, eventType: string) =>
    waitFor(`${eventType} of ${uuid}`, async () => about(uuid).find((n) => n.event_type === eventType));
  const requestIdOf = (res: { headers: Headers }) => res.headers.get('x-compute-request-id') ?? assert.fail('no x-compute-request-id');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-notifications-'));
    sinkFile = join(dir, 'log', 'notifications.jsonl');
    // A second [DEFAULT] header: the INI reader merges it into the fixture's.
    t = await startTestCloud(`${UNLIMITED_INSTANCE_QUOTAS}\n[DEFAULT]\nnotification_log_file = ${sinkFile}`);
    t.cloud.notifier.subscribe((n) => void seen.push(n));
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('create, stop, start, reboot and delete emit Nova\'s sequence, each with the request id of its request', async () => {
    const create = await t.member.withMicroversion('2.37').post(`${C}/servers`, { server: { name: 'notified', imageRef: image, flavorRef: '1', networks: 'none', availability_zone: 'cell1' } });
    assert.equal(create.status, 202, JSON.stringify(create.body));
    const id = create.body.server.id as string;
    await waitForStatus(t.member, id, 'ACTIVE');
    await waitForEvent(id, 'instance.create.end');
    const host = (await t.admin.get(`${C}/servers/${id}`)).body.server['OS-EXT-SRV-ATTR:host'] as string;

    const requests: [string, string][] = [['create', requestIdOf(create)]];
    const act = async (name: string, body: unknown, status: string, last: string) => {
      const res = await t.member.post(`${C}/servers/${id}/action`, body);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      requests.push([name, requestIdOf(res)]);
      await waitForStatus(t.member, id, status);
      await waitForEvent(id, last);
    };
    await act('power_off', { 'os-stop': null }, 'SHUTOFF', 'instance.power_off.end');
    await act('power_on', { 'os-start': null }, 'ACTIVE', 'instance.power_on.end');
    await act('reboot', { reboot: { type: 'SOFT' } }, 'ACTIVE', 'instance.reboot.end');
    const del = await t.member.delete(`${C}/servers/${id}`);
    assert.equal(del.status, 204);
    requests.push(['delete', requestIdOf(del)]);
    await waitForGone(t.member, id);
    await waitForEvent(id, 'instance.delete.end');

    const mine = about(id);
    assert.deepEqual(mine.map((n) => n.event_type), [
      'instance.create.start', 'instance.create.end',
      'instance.power_off.start', 'instance.power_off.end',
      'instance.power_on.start', 'instance.power_on.end',
      'instance.reboot.start', 'instance.reboot.end',
      'instance.delete.start', 'instance.shutdown.start', 'instance.shutdown.end', 'instance.delete.end',
    ]);
    for (const n of mine) {
      assert.equal(n.publisher_id, `nova-compute:${host}`, n.event_type);
      assert.equal(n.priority, 'INFO', n.event_type);
      assert.equal(n.payload['nova_object.namespace'], 'nova');
      assert.equal(data(n).host, host, n.event_type);
      const action = n.event_type.split('.')[1] === 'shutdown' ? 'delete' : n.event_type.split('.')[1];
      assert.equal(data(n).request_id, requests.find(([a]) => a === action)?.[1], `${n.event_type} carries the request id of its request`);
    }
    const state = (eventType: string) => {
      const d = data(mine.find((n) => n.event_type === eventType));
      return [d.state, d.task_state, d.power_state];
    };
    assert.deepEqual(state('instance.create.start'), ['building', 'scheduling', 'pending']);
    assert.deepEqual(state('instance.create.end'), ['active', null, 'running']);
    assert.deepEqual(state('instance.power_off.start'), ['active', 'powering-off', 'running']);
    assert.deepEqual(state('instance.power_off.end'), ['stopped', null, 'shutdown']);
    assert.deepEqual(state('instance.power_on.end'), ['active', null, 'running']);
    assert.deepEqual(state('instance.reboot.start'), ['active', 'rebooting', 'running']);
    assert.deepEqual(state('instance.delete.start'), ['active', 'deleting', 'running']);
    assert.equal(state('instance.delete.end')[0], 'deleted');
    const created = mine[1] as Notification;
    assert.equal(created.payload['nova_object.name'], 'InstanceCreatePayload');
    assert.equal(data(created).display_name, 'notified');
    assert.equal(data(created).flavor['nova_object.data'].flavorid, '1');
    assert.equal(data(mine.at(-1)).deleted_at !== null && data(mine.at(-1)).terminated_at !== null, true);

    // The file sink got the same notifications, one JSON object per line.
    await t.cloud.notifier.flush();
    const lines = (await readFile(sinkFile, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Notification);
    assert.deepEqual(lines.filter((n) => (n.payload['nova_object.data'] as any).uuid === id), JSON.parse(JSON.stringify(mine)));
  });

  it('a server no compute holds is deleted by the API, which notifies as nova-api', async () => {
    const huge = (await t.admin.post(`${C}/flavors`, { flavor: { name: 'too-big', ram: 10_000_000, vcpus: 1, disk: 1 } })).body.flavor.id as string;
    const id = await createServer(t.member, { name: 'nowhere', imageRef: image, flavorRef: huge });
    await waitForSettled(t.member, id, ['ERROR']);
    const del = await t.member.delete(`${C}/servers/${id}`);
    assert.equal(del.status, 204);
    await waitForGone(t.member, id);
    const mine = about(id);
    assert.deepEqual(mine.map((n) => [n.event_type, n.publisher_id]), [
      ['instance.delete.start', 'nova-api:testhost'],
      ['instance.delete.end', 'nova-api:testhost'],
    ]);
    assert.deepEqual([data(mine[0]).state, data(mine[0]).host], ['error', null]);
    assert.equal(data(mine[1]).state, 'deleted');
    assert.equal(data(mine[1]).request_id, requestIdOf(del));
  });

  it('a failed spawn notifies instance.create.error with the fault', async () => {
    t.cloud.faults.arm('virt.spawn', { times: 10 });
    try {
      const id = await createServer(t.member, { name: 'doomed', imageRef: image, zone: 'cell2' });
      await waitForSettled(t.member, id, ['ERROR']);
      const errors = about(id).filter((n) => n.event_type === 'instance.create.error');
      assert.ok(errors.length >= 1, 'at least one failed attempt was reported');
      for (const n of errors) {
        assert.equal(n.priority, 'ERROR');
        assert.equal(data(n).fault['nova_object.name'], 'ExceptionPayload');
        assert.match(data(n).fault['nova_object.data'].exception_message, /virt\.spawn/);
      }
    } finally {
      t.cloud.faults.disarm();
    }
  });

  it('notification_format = unversioned emits nothing', async () => {
    const quiet = await startTestCloud('[notifications]\nnotification_format = unversioned');
    try {
      const got: Notification[] = [];
      quiet.cloud.notifier.subscribe((n) => void got.push(n));
      const id = await createServer(quiet.member, { name: 'silent', imageRef: await imageId(quiet.admin) });
      await waitForStatus(quiet.member, id, 'ACTIVE');
      assert.deepEqual(got, []);
    } finally {
      await quiet.stop();
    }
  });
});
