import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { C, CELL_HOSTS, createServer, imageId, postServer } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('booting servers', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
  });

  for (const zone of ['cell1', 'cell2']) {
    it(`boots a server into availability zone ${zone}, on a host of that cell`, async () => {
      const admin = t.admin.withMicroversion('2.37');
      const res = await postServer(admin, { name: `boot-${zone}`, imageRef: image, zone });
      assert.equal(res.status, 202, JSON.stringify(res.body));

      const requestId = res.headers.get('x-compute-request-id');
      assert.ok(requestId !== null && requestId !== '', 'x-compute-request-id on the POST');
      assert.equal(requestId, res.headers.get('x-openstack-request-id'));

      const server = res.body.server;
      assert.equal(typeof server.id, 'string');
      assert.equal(typeof server.adminPass, 'string');
      assert.ok(server.adminPass.length > 0, 'adminPass is not empty');
      assert.equal(server['OS-DCF:diskConfig'], 'MANUAL');
      assert.deepEqual(server.security_groups, [{ name: 'default' }]);
      const location = res.headers.get('location');
      assert.ok(location !== null, 'Location header');
      assert.ok(location.endsWith(`/compute/v2.1/servers/${server.id}`), location);
      assert.ok(location.startsWith(t.url), `Location ${location} is under ${t.url}`);
      const self = (server.links as { rel: string; href: string }[]).find((l) => l.rel === 'self');
      assert.equal(self?.href, location);

      // The very next GET already knows the server: a client polling for ACTIVE must not see 404.
      const first = await admin.get(`${C}/servers/${server.id}`);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.ok(['BUILD', 'ACTIVE'].includes(first.body.server.status), first.body.server.status);

      const active = await waitForStatus(admin, server.id, 'ACTIVE');
      assert.equal(active['OS-EXT-AZ:availability_zone'], zone);
      assert.ok(CELL_HOSTS[zone]?.includes(active['OS-EXT-SRV-ATTR:host']), `host ${active['OS-EXT-SRV-ATTR:host']} is in ${zone}`);
      assert.equal(active['OS-EXT-STS:power_state'], 1);
      assert.equal(active['OS-EXT-STS:vm_state'], 'active');
      assert.equal(active.name, `boot-${zone}`);
      assert.equal(active.image.id, image);
      assert.equal(active.flavor.id, '1');
      assert.ok(active.hostId !== '', 'hostId is set once the server has a host');
      assert.notEqual(active['OS-SRV-USG:launched_at'], null);
    });
  }

  it('gives every request its own request id', async () => {
    const a = await postServer(t.admin, { name: 'reqid-a', imageRef: image });
    const b = await postServer(t.admin, { name: 'reqid-b', imageRef: image });
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.notEqual(a.headers.get('x-compute-request-id'), b.headers.get('x-compute-request-id'));
    assert.match(a.headers.get('x-compute-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
    await waitForStatus(t.admin, a.body.server.id, 'ACTIVE');
    await waitForStatus(t.admin, b.body.server.id, 'ACTIVE');
  });

  it('a member boots a server without a zone; the member sees no host attributes', async () => {
    const id = await createServer(t.member, { name: 'member-boot', imageRef: image });
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.ok(['cell1', 'cell2'].includes(server['OS-EXT-AZ:availability_zone']), server['OS-EXT-AZ:availability_zone']);
    assert.equal('OS-EXT-SRV-ATTR:host' in server, false, 'extended attributes are for administrators');
    assert.equal('adminPass' in server, false, 'adminPass is only in the create response');
    const asAdmin = await waitForStatus(t.admin, id, 'ACTIVE');
    const zone = server['OS-EXT-AZ:availability_zone'] as string;
    assert.ok(CELL_HOSTS[zone]?.includes(asAdmin['OS-EXT-SRV-ATTR:host']), 'the zone shown is the zone of the host');
  });

  it('max_count 3 creates name-1..name-3 with one reservation id', async () => {
    const res = await postServer(t.admin, { name: 'multi', imageRef: image, zone: 'cell2', extra: { min_count: 1, max_count: 3 } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(typeof res.body.server.id, 'string');

    const listed = await t.admin.get(`${C}/servers/detail?name=${encodeURIComponent('^multi-')}`);
    assert.equal(listed.status, 200);
    const servers = listed.body.servers as Record<string, any>[];
    assert.deepEqual(servers.map((s) => s.name).sort(), ['multi-1', 'multi-2', 'multi-3']);
    assert.ok(servers.some((s) => s.id === res.body.server.id), 'the id returned is one of the three');

    const actives = await Promise.all(servers.map((s) => waitForStatus(t.admin.withMicroversion('2.3'), s.id as string, 'ACTIVE')));
    const reservations = new Set(actives.map((s) => s['OS-EXT-SRV-ATTR:reservation_id']));
    assert.equal(reservations.size, 1, `one reservation id: ${[...reservations].join(', ')}`);
    const [reservation] = [...reservations] as string[];
    assert.match(reservation ?? '', /^r-[a-z0-9]+$/);
    assert.deepEqual(actives.map((s) => s['OS-EXT-SRV-ATTR:launch_index']).sort(), [0, 1, 2]);
    for (const s of actives) assert.equal(s['OS-EXT-AZ:availability_zone'], 'cell2');

    const byReservation = await t.admin.get(`${C}/servers?reservation_id=${reservation}`);
    assert.equal(byReservation.status, 200);
    assert.deepEqual((byReservation.body.servers as { name: string }[]).map((s) => s.name).sort(), ['multi-1', 'multi-2', 'multi-3']);
  });

  it('return_reservation_id answers only {reservation_id}, and the servers carry it', async () => {
    const res = await postServer(t.admin, { name: 'resv', imageRef: image, extra: { max_count: 2, return_reservation_id: true } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body as object), ['reservation_id']);
    const reservation = res.body.reservation_id as string;
    assert.match(reservation, /^r-[a-z0-9]+$/);

    const listed = await t.admin.get(`${C}/servers?reservation_id=${reservation}`);
    assert.equal(listed.status, 200);
    const servers = listed.body.servers as { id: string; name: string }[];
    assert.deepEqual(servers.map((s) => s.name).sort(), ['resv-1', 'resv-2']);
    for (const s of servers) await waitForStatus(t.admin, s.id, 'ACTIVE');
  });

  it('max_count 1 keeps the name as given', async () => {
    const id = await createServer(t.admin, { name: 'single', imageRef: image, extra: { min_count: 1, max_count: 1 } });
    const server = await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal(server.name, 'single');
  });
});
