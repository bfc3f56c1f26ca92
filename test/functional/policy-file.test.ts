import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, assertNovaError, C, createServer, imageId, postServer } from './helpers.js';

describe('an operator policy file overrides the defaults in code', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-policy-'));
    const file = join(dir, 'policy.yaml');
    // Only admins may create servers; members may still list and show their own.
    writeFileSync(file, [`"os_compute_api:servers:create": "role:admin"`, `"os_compute_api:os-services:list": "role:reader"`].join('\n'));
    t = await startTestCloud(`[oslo_policy]\npolicy_file = ${file}`);
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a member the create that the file restricts, and creates nothing', async () => {
    const before = await allServerIds(t.admin);
    const res = await postServer(t.member, { name: 'denied', imageRef: image, zone: 'cell1' });
    const message = assertNovaError(res, 403, 'forbidden');
    assert.match(message, /Policy doesn't allow os_compute_api:servers:create to be performed/);
    assert.deepEqual(await allServerIds(t.admin), before);
  });

  it('still lets the admin create, and the member list, as the rest of the defaults say', async () => {
    const id = await createServer(t.admin, { name: 'allowed', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.admin, id, 'ACTIVE');
    const res = await t.member.get(`${C}/servers`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.servers, []);
  });

  it('opens what the file opens: a member may list services', async () => {
    const res = await t.member.get(`${C}/os-services`);
    assert.equal(res.status, 200);
    assert.ok((res.body.services as unknown[]).length >= 6);
  });
});
