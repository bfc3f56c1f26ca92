import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, waitForStatus, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, imageId, postServer, waitForGone } from './helpers.js';
import { whoIs } from './who-is.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const NOVA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const BASE_KEYS = ['action', 'instance_uuid', 'message', 'project_id', 'request_id', 'start_time', 'user_id'];

/** The request id the API answered with, which names the action the request started. */
function requestIdOf(res: HttpResult): string {
  const id = res.headers.get('x-compute-request-id');
  assert.ok(id !== null && id.length > 0, 'the response has x-compute-request-id');
  return id;
}

describe('instance actions (os-instance-actions)', () => {
  let t: TestCloud;
  let id: string;
  let member: { projectId: string; userId: string };
  /** Request ids of create, stop, start and reboot, in that order. */
  const req: Record<'create' | 'stop' | 'start' | 'reboot', string> = { create: '', stop: '', start: '', reboot: '' };
  const list = (client: ApiClient, mv: string, query = '', server = id) => client.withMicroversion(mv).get(`${C}/servers/${server}/os-instance-actions${query}`);
  const show = (client: ApiClient, mv: string, requestId: string, server = id) => client.withMicroversion(mv).get(`${C}/servers/${server}/os-instance-actions/${requestId}`);

  /** Waits until the action of the request shows the event (compute events are recorded just after the state change). */
  async function waitForEvent(server: string, requestId: string, event: string): Promise<Record<string, any>> {
    return waitFor(`event ${event} of ${requestId}`, async () => {
      const res = await show(t.admin, '2.84', requestId, server);
      const found = res.status === 200 ? (res.body.instanceAction.events as Record<string, any>[]).find((e) => e['event'] === event) : undefined;
      return found;
    });
  }

  async function act(body: unknown, status: string): Promise<string> {
    const res = await t.member.post(`${C}/servers/${id}/action`, body);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, id, status);
    return requestIdOf(res);
  }

  before(async () => {
    t = await startTestCloud();
    member = await whoIs(t.url, 'demo', 'demo-secret');
    const image = await imageId(t.admin);
    const created = await postServer(t.member, { name: 'acts', imageRef: image, zone: 'cell1' });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    id = created.body.server.id as string;
    req.create = requestIdOf(created);
    await waitForStatus(t.member, id, 'ACTIVE');
    req.stop = await act({ 'os-stop': null }, 'SHUTOFF');
    req.start = await act({ 'os-start': null }, 'ACTIVE');
    req.reboot = await act({ reboot: { type: 'SOFT' } }, 'ACTIVE');
    await waitForEvent(id, req.reboot, 'compute_reboot_instance');
  });
  after(async () => {
    await t?.stop();
  });

  describe('list', () => {
    it('lists create, stop, start and reboot newest first, each under the x-compute-request-id of the request that started it', async () => {
      const res = await list(t.member, '2.1');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['instanceActions']);
      const actions = res.body.instanceActions as Record<string, any>[];
      assert.deepEqual(actions.map((a) => a['action']), ['reboot', 'start', 'stop', 'create']);
      assert.deepEqual(actions.map((a) => a['request_id']), [req.reboot, req.start, req.stop, req.create]);
      for (const a of actions) {
        assert.deepEqual(Object.keys(a).sort(), BASE_KEYS);
        assert.equal(a['instance_uuid'], id);
        assert.equal(a['project_id'], member.projectId);
        assert.equal(a['user_id'], member.userId);
        assert.equal(a['message'], null);
        assert.match(a['start_time'] as string, NOVA_TIME);
      }
    });

    it('adds updated_at from 2.58, in the same time format', async () => {
      const res = await list(t.member, '2.58');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const a of res.body.instanceActions as Record<string, any>[]) {
        assert.deepEqual(Object.keys(a).sort(), [...BASE_KEYS, 'updated_at'].sort());
        assert.match(a['updated_at'] as string, NOVA_TIME);
        assert.ok((a['updated_at'] as string) >= (a['start_time'] as string));
      }
      assert.equal(res.body.links, undefined, 'a page short of max_limit has no next link');
    });

    it('pages with limit and marker (a request id) at 2.58, with a next link to follow', async () => {
      const first = await list(t.member, '2.58', '?limit=2');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual((first.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [req.reboot, req.start]);
      const next = first.body.links as { rel: string; href: string }[];
      assert.equal(next.length, 1);
      assert.equal(next[0]?.rel, 'next');
      const href = new URL(next[0]?.href ?? '');
      assert.equal(href.pathname, `${C}/servers/${id}/os-instance-actions`);
      assert.equal(href.searchParams.get('limit'), '2');
      assert.equal(href.searchParams.get('marker'), req.start);
      const second = await t.member.withMicroversion('2.58').get(`${href.pathname}${href.search}`);
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.deepEqual((second.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [req.stop, req.create]);
      const third = await list(t.member, '2.58', `?limit=2&marker=${req.create}`);
      assert.deepEqual(third.body, { instanceActions: [] });
      assert.deepEqual((await list(t.member, '2.58', '?limit=0')).body, { instanceActions: [] });
    });

    it('filters by changes-since at 2.58 and changes-before at 2.66, on updated_at, both inclusive', async () => {
      const all = (await list(t.member, '2.66')).body.instanceActions as { request_id: string; updated_at: string }[];
      const at = (r: string) => all.find((a) => a.request_id === r)?.updated_at as string;
      // Nova's times carry no zone; given back as they are, they mean UTC.
      const since = await list(t.member, '2.58', `?changes-since=${at(req.start)}`);
      assert.equal(since.status, 200, JSON.stringify(since.body));
      assert.deepEqual((since.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [req.reboot, req.start]);
      const before = await list(t.member, '2.66', `?changes-before=${at(req.stop)}Z`);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.deepEqual((before.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [req.stop, req.create]);
      const both = await list(t.member, '2.66', `?changes-since=${at(req.stop)}&changes-before=${at(req.start)}`);
      assert.deepEqual((both.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [req.start, req.stop]);
    });

    it('refuses bad paging and filter parameters from 2.58 with Nova\'s 400s', async () => {
      assert.match(assertNovaError(await list(t.member, '2.58', '?marker=req-unknown'), 400, 'badRequest'), /Marker req-unknown could not be found/);
      assertNovaError(await list(t.member, '2.58', '?limit=-1'), 400, 'badRequest');
      assertNovaError(await list(t.member, '2.58', '?limit=abc'), 400, 'badRequest');
      assertNovaError(await list(t.member, '2.58', '?limit=1&limit=2'), 400, 'badRequest');
      assert.match(assertNovaError(await list(t.member, '2.58', '?changes-since=yesterday'), 400, 'badRequest'), /changes-since/);
      assert.match(assertNovaError(await list(t.member, '2.58', '?foo=bar'), 400, 'badRequest'), /foo/);
      assert.match(assertNovaError(await list(t.member, '2.58', '?changes-before=2030-01-01T00:00:00Z'), 400, 'badRequest'), /changes-before/);
      assertNovaError(await list(t.member, '2.66', '?changes-before=not-a-time'), 400, 'badRequest');
      assert.match(
        assertNovaError(await list(t.member, '2.66', '?changes-since=2030-01-02T00:00:00Z&changes-before=2030-01-01T00:00:00Z'), 400, 'badRequest'),
        /changes-since must be less than or equal to changes-before/,
      );
    });

    it('ignores any query before 2.58, as Nova', async () => {
      const res = await list(t.member, '2.57', '?limit=1&marker=req-unknown&foo=bar');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((res.body.instanceActions as unknown[]).length, 4);
    });
  });

  describe('show', () => {
    it('shows a member no events at 2.1, and an admin the events with traceback', async () => {
      const own = await show(t.member, '2.1', req.stop);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.deepEqual(Object.keys(own.body.instanceAction).sort(), BASE_KEYS);
      assert.equal(own.body.instanceAction.request_id, req.stop);
      assert.equal(own.body.instanceAction.action, 'stop');
      const admin = await show(t.admin, '2.1', req.stop);
      const events = admin.body.instanceAction.events as Record<string, any>[];
      assert.deepEqual(events.map((e) => e['event']), ['compute_stop_instance']);
      assert.deepEqual(Object.keys(events[0] ?? {}).sort(), ['event', 'finish_time', 'result', 'start_time', 'traceback']);
      assert.equal(events[0]?.['result'], 'Success');
      assert.equal(events[0]?.['traceback'], null);
      assert.match(events[0]?.['start_time'] as string, NOVA_TIME);
      assert.match(events[0]?.['finish_time'] as string, NOVA_TIME);
    });

    it('shows a member the events without traceback from 2.51', async () => {
      const res = await show(t.member, '2.51', req.stop);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const events = res.body.instanceAction.events as Record<string, any>[];
      assert.deepEqual(events.map((e) => Object.keys(e).sort()), [['event', 'finish_time', 'result', 'start_time']]);
      assert.equal(res.body.instanceAction.updated_at, undefined, 'updated_at comes at 2.58');
      assert.match((await show(t.member, '2.58', req.stop)).body.instanceAction.updated_at as string, NOVA_TIME);
    });

    it('gives everyone the server\'s hostId from 2.62, and admins the host', async () => {
      const server = (await t.admin.get(`${C}/servers/${id}`)).body.server as Record<string, any>;
      const mine = (await show(t.member, '2.62', req.reboot)).body.instanceAction.events as Record<string, any>[];
      assert.deepEqual(mine.map((e) => Object.keys(e).sort()), [['event', 'finish_time', 'hostId', 'result', 'start_time']]);
      assert.equal(mine[0]?.['hostId'], server['hostId']);
      assert.match(mine[0]?.['hostId'] as string, /^[0-9a-f]{56}$/);
      const admins = (await show(t.admin, '2.62', req.reboot)).body.instanceAction.events as Record<string, any>[];
      assert.equal(admins[0]?.['host'], server['OS-EXT-SRV-ATTR:host']);
      assert.equal(admins[0]?.['hostId'], server['hostId']);
    });

    it('shows the create action\'s conductor and compute events, newest first; the conductor step has no host', async () => {
      await waitForEvent(id, req.create, 'compute__do_build_and_run_instance');
      const events = (await show(t.admin, '2.62', req.create)).body.instanceAction.events as Record<string, any>[];
      assert.deepEqual(events.map((e) => e['event']).sort(), ['compute__do_build_and_run_instance', 'conductor_schedule_and_build_instances']);
      const conductor = events.find((e) => e['event'] === 'conductor_schedule_and_build_instances');
      assert.equal(conductor?.['host'], null);
      assert.equal(conductor?.['hostId'], '');
    });

    it('adds details from 2.84 to admins only', async () => {
      const admin = (await show(t.admin, '2.84', req.stop)).body.instanceAction.events as Record<string, any>[];
      assert.ok('details' in (admin[0] ?? {}));
      assert.equal(admin[0]?.['details'], null);
      const mine = (await show(t.member, '2.84', req.stop)).body.instanceAction.events as Record<string, any>[];
      assert.equal('details' in (mine[0] ?? {}), false);
    });

    it('records a failed step as an Error event with traceback and details, and marks the action Error', async () => {
      t.cloud.faults.arm('virt.power_off');
      try {
        const res = await t.member.post(`${C}/servers/${id}/action`, { 'os-stop': null });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        const failed = requestIdOf(res);
        const event = await waitForEvent(id, failed, 'compute_stop_instance');
        assert.equal(event['result'], 'Error');
        assert.match(event['details'] as string, /Injected failure in virt\.power_off/);
        assert.match(event['traceback'] as string, /InjectedFaultError|Injected failure/);
        const mine = await show(t.member, '2.84', failed);
        assert.equal(mine.body.instanceAction.message, 'Error');
        assert.deepEqual(Object.keys(mine.body.instanceAction.events[0]).sort(), ['event', 'finish_time', 'hostId', 'result', 'start_time']);
        await waitForStatus(t.member, id, 'ACTIVE');
      } finally {
        t.cloud.faults.disarm('virt.power_off');
      }
    });

    it('is a 404 for a request id with no action on this server', async () => {
      assert.match(assertNovaError(await show(t.member, '2.1', 'req-unknown'), 404, 'itemNotFound'), /Action req-unknown not found/);
    });
  });

  describe('access', () => {
    it('hides another project\'s server: its actions are a 404 to a member, exactly as a missing server', async () => {
      const image = await imageId(t.admin);
      const theirs = await postServer(t.admin, { name: 'admins', imageRef: image, zone: 'cell2' });
      assert.equal(theirs.status, 202);
      const other = theirs.body.server.id as string;
      await waitForStatus(t.admin, other, 'ACTIVE');
      const missing = '00000000-0000-4000-8000-000000000000';
      assertNovaError(await list(t.member, '2.1', '', other), 404, 'itemNotFound');
      assertNovaError(await list(t.member, '2.1', '', missing), 404, 'itemNotFound');
      assertNovaError(await show(t.member, '2.84', requestIdOf(theirs), other), 404, 'itemNotFound');
      // An administrator sees every project's.
      const admin = await list(t.admin, '2.1', '', other);
      assert.deepEqual((admin.body.instanceActions as { request_id: string }[]).map((a) => a.request_id), [requestIdOf(theirs)]);
    });

    it('lists a deleted server\'s actions from 2.21 only; before, the server is a 404', async () => {
      const image = await imageId(t.admin);
      const created = await postServer(t.member, { name: 'doomed', imageRef: image, zone: 'cell2' });
      const doomed = created.body.server.id as string;
      await waitForStatus(t.member, doomed, 'ACTIVE');
      const deleted = await t.member.delete(`${C}/servers/${doomed}`);
      assert.equal(deleted.status, 204);
      await waitForGone(t.member, doomed);
      assertNovaError(await list(t.member, '2.20', '', doomed), 404, 'itemNotFound');
      assertNovaError(await show(t.member, '2.20', requestIdOf(deleted), doomed), 404, 'itemNotFound');
      const res = await list(t.member, '2.21', '', doomed);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual((res.body.instanceActions as { action: string; request_id: string }[]).map((a) => [a.action, a.request_id]), [
        ['delete', requestIdOf(deleted)],
        ['create', requestIdOf(created)],
      ]);
      const terminate = await waitForEvent(doomed, requestIdOf(deleted), 'compute_terminate_instance');
      assert.equal(terminate['result'], 'Success');
      const mine = await show(t.member, '2.51', requestIdOf(deleted), doomed);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.deepEqual((mine.body.instanceAction.events as { event: string }[]).map((e) => e.event), ['compute_terminate_instance']);
    });
  });
});
