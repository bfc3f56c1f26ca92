import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, sleep } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

type Link = { rel: string; href: string };

describe('listing servers across cells', () => {
  let t: TestCloud;
  let image: string;
  // Created in this order, alternating cells; names deliberately not in creation order.
  const names = ['list-c', 'list-a', 'list-e', 'list-b', 'list-d'];
  const ids = new Map<string, string>();
  let adminServer: string;
  let demoProject: string;

  /** Turns an absolute next link into a path the client can GET. */
  const pathOf = (href: string): string => {
    assert.ok(href.startsWith(t.url), `link ${href} is under ${t.url}`);
    return href.slice(t.url.length);
  };

  /** Walks every page with `limit` from `first`, following servers_links; returns the pages' names. */
  async function walk(client: ApiClient, first: string): Promise<{ pages: string[][]; nextLinks: boolean[] }> {
    const pages: string[][] = [];
    const nextLinks: boolean[] = [];
    let path: string | undefined = first;
    while (path !== undefined) {
      const res: HttpResult = await client.get(path);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      pages.push((res.body.servers as { name: string }[]).map((s) => s.name));
      const next = (res.body.servers_links as Link[] | undefined)?.find((l) => l.rel === 'next');
      nextLinks.push(next !== undefined);
      path = next === undefined ? undefined : pathOf(next.href);
      assert.ok(pages.length < 20, 'paging terminates');
    }
    return { pages, nextLinks };
  }

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    for (const [n, name] of names.entries()) {
      ids.set(name, await createServer(t.member, { name, imageRef: image, zone: n % 2 === 0 ? 'cell1' : 'cell2' }));
      await sleep(5); // distinct created_at for the default order
    }
    adminServer = await createServer(t.admin, { name: 'list-admin', imageRef: image, zone: 'cell2' });
    for (const id of ids.values()) await waitForStatus(t.member, id, 'ACTIVE');
    await waitForStatus(t.admin, adminServer, 'ACTIVE');
    demoProject = (await t.member.get(`${C}/servers/${ids.get('list-a')}`)).body.server.tenant_id as string;
  });
  after(async () => {
    await t?.stop();
  });

  it('the servers really are spread over both cells', async () => {
    const zones = new Set<string>();
    for (const id of ids.values()) {
      const res = await t.admin.get(`${C}/servers/${id}`);
      zones.add(res.body.server['OS-EXT-AZ:availability_zone'] as string);
    }
    assert.deepEqual([...zones].sort(), ['cell1', 'cell2']);
  });

  it('sorts by display_name ascending regardless of cell', async () => {
    const res = await t.member.get(`${C}/servers/detail?sort_key=display_name&sort_dir=asc`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name), [...names].sort());
  });

  it('sorts by display_name descending', async () => {
    const res = await t.member.get(`${C}/servers?sort_key=display_name&sort_dir=desc`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name), [...names].sort().reverse());
  });

  it('lists newest first by default (created_at desc)', async () => {
    for (const path of [`${C}/servers`, `${C}/servers/detail`]) {
      const res = await t.member.get(path);
      assert.equal(res.status, 200);
      assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name), [...names].reverse(), path);
    }
  });

  it('summary entries have id, name and links only', async () => {
    const res = await t.member.get(`${C}/servers`);
    for (const s of res.body.servers as Record<string, unknown>[]) assert.deepEqual(Object.keys(s).sort(), ['id', 'links', 'name']);
  });

  it('pages with limit=2 and marker visit every server exactly once', async () => {
    const { pages, nextLinks } = await walk(t.member, `${C}/servers/detail?sort_key=display_name&sort_dir=asc&limit=2`);
    assert.deepEqual(pages, [['list-a', 'list-b'], ['list-c', 'list-d'], ['list-e']]);
    assert.deepEqual(nextLinks, [true, true, false], 'a next link on every full page, none on the last');
  });

  it('pages in the default order too', async () => {
    const { pages } = await walk(t.member, `${C}/servers?limit=2`);
    assert.deepEqual(pages.flat(), [...names].reverse());
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
  });

  it('the next link keeps the other query parameters and carries the last id as marker', async () => {
    const res = await t.member.get(`${C}/servers?sort_key=display_name&sort_dir=asc&limit=2`);
    const next = (res.body.servers_links as Link[]).find((l) => l.rel === 'next');
    assert.ok(next !== undefined);
    const url = new URL(next.href);
    assert.equal(url.pathname, '/compute/v2.1/servers');
    assert.equal(url.searchParams.get('marker'), ids.get('list-b'));
    assert.equal(url.searchParams.get('limit'), '2');
    assert.equal(url.searchParams.get('sort_key'), 'display_name');
    assert.equal(url.searchParams.get('sort_dir'), 'asc');
  });

  it('an explicit marker starts after that server', async () => {
    const res = await t.member.get(`${C}/servers?sort_key=display_name&sort_dir=asc&marker=${ids.get('list-c')}`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name), ['list-d', 'list-e']);
  });

  it('pages with two sort keys, following the next links', async () => {
    const { pages } = await walk(t.member, `${C}/servers?sort_key=display_name&sort_dir=asc&sort_key=uuid&sort_dir=asc&limit=2`);
    assert.deepEqual(pages.flat(), [...names].sort());
  });

  it('an unknown marker is a 400', async () => {
    const res = await t.member.get(`${C}/servers?marker=00000000-0000-4000-8000-000000000000`);
    const message = assertNovaError(res, 400, 'badRequest');
    assert.match(message, /marker/);
  });

  it('an unknown sort key is a 400', async () => {
    assertNovaError(await t.member.get(`${C}/servers?sort_key=no_such_key`), 400, 'badRequest');
  });

  it('name is a regular expression', async () => {
    const res = await t.member.get(`${C}/servers?name=${encodeURIComponent('^list-[ab]$')}`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name).sort(), ['list-a', 'list-b']);
    const none = await t.member.get(`${C}/servers?name=nothing-matches-this`);
    assert.deepEqual(none.body.servers, []);
  });

  it('filters by status', async () => {
    const stopped = ids.get('list-d') as string;
    const stop = await t.member.post(`${C}/servers/${stopped}/action`, { 'os-stop': null });
    assert.equal(stop.status, 202, JSON.stringify(stop.body));
    await waitForStatus(t.member, stopped, 'SHUTOFF');

    const active = await t.member.get(`${C}/servers/detail?status=ACTIVE`);
    assert.equal(active.status, 200);
    assert.deepEqual((active.body.servers as { name: string }[]).map((s) => s.name).sort(), ['list-a', 'list-b', 'list-c', 'list-e']);
    for (const s of active.body.servers as { status: string }[]) assert.equal(s.status, 'ACTIVE');

    const shutoff = await t.member.get(`${C}/servers/detail?status=SHUTOFF`);
    assert.deepEqual((shutoff.body.servers as { id: string }[]).map((s) => s.id), [stopped]);

    const start = await t.member.post(`${C}/servers/${stopped}/action`, { 'os-start': null });
    assert.equal(start.status, 202, JSON.stringify(start.body));
    await waitForStatus(t.member, stopped, 'ACTIVE');
  });

  it('filters by availability zone', async () => {
    const res = await t.member.get(`${C}/servers?availability_zone=cell1`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { name: string }[]).map((s) => s.name).sort(), ['list-c', 'list-d', 'list-e']);
  });

  it('a member sees only the servers of its project', async () => {
    const res = await t.member.get(`${C}/servers/detail`);
    assert.equal(res.status, 200);
    const servers = res.body.servers as Record<string, any>[];
    assert.deepEqual(servers.map((s) => s.name).sort(), [...names].sort());
    for (const s of servers) assert.equal(s.tenant_id, demoProject);
    assert.equal(servers.some((s) => s.id === adminServer), false);
  });

  it('an admin without all_tenants sees only its own project', async () => {
    const res = await t.admin.get(`${C}/servers`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { id: string }[]).map((s) => s.id), [adminServer]);
  });

  it('an admin with all_tenants=1 sees every project', async () => {
    for (const path of [`${C}/servers?all_tenants=1`, `${C}/servers/detail?all_tenants=1`, `${C}/servers?all_tenants=True`]) {
      const res = await t.admin.get(path);
      assert.equal(res.status, 200);
      const got = (res.body.servers as { id: string }[]).map((s) => s.id).sort();
      assert.deepEqual(got, [...ids.values(), adminServer].sort(), path);
    }
  });

  it('an admin may filter all projects by project_id', async () => {
    const res = await t.admin.get(`${C}/servers?all_tenants=1&project_id=${demoProject}`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.servers as { id: string }[]).map((s) => s.id).sort(), [...ids.values()].sort());
  });

  it('a member asking for all_tenants is refused by policy (403)', async () => {
    for (const path of [`${C}/servers?all_tenants=1`, `${C}/servers/detail?all_tenants=1`]) {
      assertNovaError(await t.member.get(path), 403, 'forbidden');
    }
  });

  it('unknown query parameters are ignored before 2.75', async () => {
    for (const mv of [undefined, '2.1', '2.74']) {
      const res = await t.member.withMicroversion(mv).get(`${C}/servers?no_such_param=1`);
      assert.equal(res.status, 200, `mv ${String(mv)}: ${JSON.stringify(res.body)}`);
      assert.equal((res.body.servers as unknown[]).length, names.length);
    }
  });

  it('unknown query parameters are refused from 2.75', async () => {
    for (const path of [`${C}/servers?no_such_param=1`, `${C}/servers/detail?no_such_param=1`]) {
      const message = assertNovaError(await t.member.withMicroversion('2.75').get(path), 400, 'badRequest');
      assert.match(message, /no_such_param/);
    }
    const ok = await t.member.withMicroversion('2.75').get(`${C}/servers?limit=1`);
    assert.equal(ok.status, 200);
  });
});
