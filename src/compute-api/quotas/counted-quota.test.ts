import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../api/routes/compute/compute-route-harness.test.js';
import { OverLimitError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { createKeyPair } from '../key-pairs/create-key-pair.js';
import { createServerGroup } from '../server-groups/create-server-group.js';
import { checkKeyPairQuota, checkServerGroupQuota } from './counted-quota.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICIPIut9Xb+CfGajzX9XHRyHPPV1H8aGwdkzDaFxe14L me@host';
const ctx: RequestContext = { requestId: 'req-1', userId: 'u1', projectId: 'p1', roles: ['member', 'reader'], isAdmin: false };

describe('key pair and server group quotas', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ quota: { key_pairs: '2', server_groups: '2' } });
  });
  after(async () => h.close());

  it('counts key pairs per user against the project\'s limit, and lets a recheck pass at the limit', async () => {
    for (const name of ['a', 'b']) await h.deps.api.keyPairs.create({ name, userId: 'u1', fingerprint: 'f', publicKey: KEY, type: 'ssh' });
    await assert.rejects(checkKeyPairQuota(h.deps, 'p1', 'u1', 1), (err: unknown) => err instanceof OverLimitError && err.message === 'Quota exceeded, too many key pairs.');
    await checkKeyPairQuota(h.deps, 'p1', 'u1', 0);
    await checkKeyPairQuota(h.deps, 'p1', 'u2', 1);
    await h.deps.api.quotas.set('p1', { key_pairs: -1 });
    await checkKeyPairQuota(h.deps, 'p1', 'u1', 1);
    await h.deps.api.quotas.deleteProject('p1');
    for (const name of ['a', 'b']) await h.deps.api.keyPairs.delete('u1', name);
  });

  it('never leaves a user past the limit when creates race: the recheck undoes what went over', async () => {
    const results = await Promise.allSettled(['r1', 'r2', 'r3', 'r4', 'r5'].map((name) => createKeyPair(h.deps, ctx, { name, publicKey: KEY, type: 'ssh' })));
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused) assert.ok(r.reason instanceof OverLimitError, String(r.reason));
    const kept = await h.deps.api.keyPairs.countOf('u1');
    assert.ok(kept <= 2, `${kept} key pairs kept`);
    assert.equal(kept, results.length - refused.length);
  });

  it('does the same for server groups of a project', async () => {
    const body = { server_group: { name: 'g', policies: ['affinity' as const] } };
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => createServerGroup(h.deps, ctx, body)));
    const kept = await h.deps.api.serverGroups.countOf('p1');
    assert.ok(kept <= 2, `${kept} groups kept`);
    assert.equal(kept, results.filter((r) => r.status === 'fulfilled').length);
    while ((await h.deps.api.serverGroups.countOf('p1')) < 2) await createServerGroup(h.deps, ctx, body);
    await assert.rejects(createServerGroup(h.deps, ctx, body), (err: unknown) => err instanceof OverLimitError && err.message === 'Quota exceeded, too many server groups.');
    await assert.rejects(checkServerGroupQuota(h.deps, 'p1', 1), OverLimitError);
    await checkServerGroupQuota(h.deps, 'p2', 1);
  });
});
