import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { C, createServer, imageId } from './helpers.js';

describe('resize smoke', () => {
  let t: TestCloud;
  before(async () => {
    t = await startTestCloud();
  });
  after(async () => t?.stop());

  it('resize + confirm, then revert, then migrate', async () => {
    const image = await imageId(t.admin);
    const id = await createServer(t.member, { name: 'rs', imageRef: image, zone: 'cell1' });
    const s0 = await waitForStatus(t.member, id, 'ACTIVE');
    const adminView = async () => (await t.admin.get(`${C}/servers/${id}`)).body.server;
    const host0 = (await adminView())['OS-EXT-SRV-ATTR:host'];
    let res = await t.member.post(`${C}/servers/${id}/action`, { resize: { flavorRef: '2' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const s1 = await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    assert.equal(s1.flavor.id ?? s1.flavor.original_name, s1.flavor.id ?? 'm1.small');
    const host1 = (await adminView())['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(host1, host0);
    res = await t.member.post(`${C}/servers/${id}/action`, { confirmResize: null });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await waitForStatus(t.member, id, 'ACTIVE');
    res = await t.member.post(`${C}/servers/${id}/action`, { resize: { flavorRef: '3' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    res = await t.member.post(`${C}/servers/${id}/action`, { revertResize: null });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal((await adminView())['OS-EXT-SRV-ATTR:host'], host1);
    res = await t.admin.post(`${C}/servers/${id}/action`, { migrate: null });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    assert.equal((await adminView())['OS-EXT-SRV-ATTR:host'], host0);
    void s0;
  });
});
