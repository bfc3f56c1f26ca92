import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeInstance } from '../../../test/integration/db/instance-fixture.js';
import { startHarness, type Harness } from '../../api/routes/compute/compute-route-harness.test.js';
import type { RequestContext } from '../../common/request-context.js';
import { listServerGroups } from './list-server-groups.js';
import { liveInstances } from './live-members.js';
import { showServerGroup } from './server-group-access.js';

const ctx: RequestContext = { requestId: 'req-1', userId: 'u1', projectId: 'p1', roles: ['member', 'reader'], isAdmin: false };

describe('server group members', () => {
  let h: Harness;
  const uuids: Record<string, string> = {};

  before(async () => {
    h = await startHarness();
    const { api, cells, clock, ids } = h.deps;
    const cell = h.cells[0];
    assert.ok(cell);
    const instances = cells.repos(cell).instances;
    for (const name of ['active', 'deleted', 'pending', 'unmapped']) uuids[name] = ids.uuid();
    for (const name of ['active', 'deleted']) {
      await instances.create(makeInstance({ clock, ids }, { uuid: uuids[name] as string, project_id: 'p1', user_id: 'u1' }));
      await api.instanceMappings.create({ instanceUuid: uuids[name] as string, projectId: 'p1', userId: 'u1', cellId: cell.id });
    }
    await instances.softDelete(uuids['deleted'] as string);
    await api.instanceMappings.create({ instanceUuid: uuids['pending'] as string, projectId: 'p1', userId: 'u1' });
  });
  after(async () => h.close());

  it('keeps the members that are scheduled and alive, or still being scheduled', async () => {
    const live = await liveInstances(h.deps, Object.values(uuids));
    assert.deepEqual([...live].sort(), [uuids['active'], uuids['pending']].sort());
    assert.deepEqual([...(await liveInstances(h.deps, []))], []);
  });

  it('shows and lists a group with its live members only', async () => {
    const group = await h.deps.api.serverGroups.create({ name: 'g', projectId: 'p1', userId: 'u1', policy: 'affinity', rules: {} });
    for (const name of ['active', 'deleted', 'pending', 'unmapped']) await h.deps.api.serverGroups.addMember(group.uuid, uuids[name] as string);
    assert.deepEqual((await showServerGroup(h.deps, ctx, group.uuid)).members, [uuids['active'], uuids['pending']]);
    const [listed] = await listServerGroups(h.deps, ctx, {});
    assert.deepEqual(listed?.members, [uuids['active'], uuids['pending']]);
    await assert.rejects(showServerGroup(h.deps, { ...ctx, projectId: 'p2' }, group.uuid), /could not be found/);
  });
});
