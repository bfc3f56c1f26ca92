import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { createApiRepos, type ApiRepos } from '../api/api-repos.js';
import { openArchiveHarness, type ArchiveHarness } from './archive-harness.test.js';
import { removeApiRecordsOfArchived } from './remove-api-records.js';

describe('removeApiRecordsOfArchived', () => {
  let h: ArchiveHarness;
  let api: ApiRepos;
  beforeEach(async () => {
    h = await openArchiveHarness();
    api = createApiRepos({ db: h.api.db, clock: new ManualClock(), ids: new RandomIdGenerator() });
  });
  afterEach(async () => h.close());

  it('deletes the mappings, request specs and group memberships of instances mapped to the archived cell only', async () => {
    const here = await api.cells.upsert({ uuid: h.ids.uuid(), name: 'cell1', transportUrl: 'inproc://', databaseConnection: 'sqlite://' });
    const there = await api.cells.upsert({ uuid: h.ids.uuid(), name: 'cell2', transportUrl: 'inproc://', databaseConnection: 'sqlite://' });
    const group = await api.serverGroups.create({ name: 'g', projectId: 'p', userId: 'u', policy: 'anti-affinity', rules: {} });
    const [mine, moved] = [h.ids.uuid(), h.ids.uuid()];
    for (const [uuid, cell] of [[mine, here.id], [moved, there.id]] as const) {
      await api.instanceMappings.create({ instanceUuid: uuid, projectId: 'p', userId: 'u', cellId: cell });
      await h.api.db.insertInto('request_specs').values({ instance_uuid: uuid, spec: '{}', created_at: 'now', updated_at: null }).execute();
      await api.serverGroups.addMember(group.uuid, uuid);
    }
    const counts = await removeApiRecordsOfArchived(h.api.db, [mine, moved], [here.id]);
    assert.deepEqual(Object.fromEntries(counts), { instance_mappings: 1, request_specs: 1, instance_group_members: 1 });
    assert.equal(await api.instanceMappings.find(mine), undefined);
    assert.ok(await api.instanceMappings.find(moved), 'an instance now living in another cell keeps its mapping');
    assert.deepEqual(await api.serverGroups.membersOf(group.uuid), [moved]);
  });
});
