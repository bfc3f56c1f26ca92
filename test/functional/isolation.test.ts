import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId } from './helpers.js';

describe('project isolation', () => {
  let t: TestCloud;
  let adminServer: string;
  let memberServer: string;
  const unknown = '00000000-0000-4000-8000-000000000000';

  before(async () => {
    t = await startTestCloud();
    const image = await imageId(t.admin);
    adminServer = await createServer(t.admin, { name: 'admin-private', imageRef: image, zone: 'cell1' });
    memberServer = await createServer(t.member, { name: 'member-own', imageRef: image, zone: 'cell2' });
    await waitForStatus(t.admin, adminServer, 'ACTIVE');
    await waitForStatus(t.member, memberServer, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it("a member gets 404 on GET of another project's server, exactly as for a missing one", async () => {
    const other = assertNovaError(await t.member.get(`${C}/servers/${adminServer}`), 404, 'itemNotFound');
    const missing = assertNovaError(await t.member.get(`${C}/servers/${unknown}`), 404, 'itemNotFound');
    assert.equal(other.replace(adminServer, 'X'), missing.replace(unknown, 'X'), 'nothing tells the two apart');
  });

  it("a member gets 404 on DELETE of another project's server", async () => {
    assertNovaError(await t.member.delete(`${C}/servers/${adminServer}`), 404, 'itemNotFound');
  });

  it("a member gets 404 on every action on another project's server", async () => {
    for (const body of [{ 'os-stop': null }, { 'os-start': null }, { reboot: { type: 'HARD' } }, { reboot: { type: 'SOFT' } }]) {
      assertNovaError(await t.member.post(`${C}/servers/${adminServer}/action`, body), 404, 'itemNotFound');
    }
  });

  it("a member gets 404 on PUT of another project's server", async () => {
    assertNovaError(await t.member.put(`${C}/servers/${adminServer}`, { server: { name: 'hijacked' } }), 404, 'itemNotFound');
  });

  it("the admin's server is unaffected by all of that", async () => {
    const server = await waitForStatus(t.admin, adminServer, 'ACTIVE');
    assert.equal(server.name, 'admin-private');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
    assert.equal(server['OS-EXT-STS:task_state'], null);
  });

  it("the admin's server is not in the member's lists, even filtered by its name or project", async () => {
    const adminProject = (await t.admin.get(`${C}/servers/${adminServer}`)).body.server.tenant_id as string;
    for (const path of [`${C}/servers`, `${C}/servers/detail`, `${C}/servers?name=admin-private`, `${C}/servers?project_id=${adminProject}`, `${C}/servers?tenant_id=${adminProject}`]) {
      const res = await t.member.get(path);
      assert.equal(res.status, 200, path);
      assert.equal((res.body.servers as { id: string }[]).some((s) => s.id === adminServer), false, path);
    }
  });

  it("an administrator may see and act on a member's server", async () => {
    const res = await t.admin.get(`${C}/servers/${memberServer}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.server.name, 'member-own');
    assert.equal((await t.admin.post(`${C}/servers/${memberServer}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, memberServer, 'SHUTOFF');
    assert.equal((await t.admin.post(`${C}/servers/${memberServer}/action`, { 'os-start': null })).status, 202);
    await waitForStatus(t.member, memberServer, 'ACTIVE');
  });
});
