import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNetworkRoutes, type RouteHarness } from './network-harness.test.js';

describe('network quotas (read only)', () => {
  let h: RouteHarness;

  before(async () => {
    h = await startNetworkRoutes();
  });
  after(async () => h.close());

  it('shows the resources of the service as unlimited to the project\'s readers and admins', async () => {
    for (const [token, path] of [['alice', '/v2.0/quotas/project-a'], ['carol', '/v2.0/quotas/project-a/default'], ['admin', '/v2.0/quotas/project-b']] as const) {
      const res = await h.call('GET', path, token);
      assert.equal(res.status, 200, `${token} ${path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body, { quota: { network: -1, subnet: -1, port: -1 } });
    }
  });

  it('refuses another project\'s in Neutron\'s shape', async () => {
    const res = await h.call('GET', '/v2.0/quotas/project-a', 'bob');
    assert.equal(res.status, 403);
    assert.equal((res.body as { NeutronError: { type: string } }).NeutronError.type, 'PolicyNotAuthorized');
  });
});
