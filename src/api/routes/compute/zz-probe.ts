import { startHarness } from '/work/main/src/api/routes/compute/compute-route-harness.test.js';
const h = await startHarness();
const body = { name: 'c1.test', ram: 256, vcpus: 1, disk: 2, id: 'c1' };
for (const b of [{ ...body, ram: 0 }, { ...body, ram: '0' }, { ...body, ram: 'abc' }, { ...body, name: ' x' }, { ...body, rxtx_factor: 0 }, { name: 'x', ram: 1, vcpus: 1 }, { ...body, 'os-flavor-access:is_public': 'perhaps' }]) {
  const r = await h.call('POST', '/compute/v2.1/flavors', { body: { flavor: b } });
  console.log(r.status, JSON.stringify(r.body));
}
for (const u of ['/compute/v2.1/flavors?limit=-1', '/compute/v2.1/flavors?sort_key=x', '/compute/v2.1/flavors?sort_dir=x']) {
  const r = await h.call('GET', u); console.log(r.status, JSON.stringify(r.body));
}
const r = await h.call('GET', '/compute/v2.1/flavors?colour=red', { mv: '2.75' }); console.log(r.status, JSON.stringify(r.body), r.headers['openstack-api-version']);
await h.close();
