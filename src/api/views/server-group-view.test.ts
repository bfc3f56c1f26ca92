import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerGroup } from '../../db/api/server-group-repo.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { serverGroupView } from './server-group-view.js';

const mv = (v: string) => parseVersion(v) as Microversion;

const group: ServerGroup = {
  id: 1, uuid: 'b3e2a1c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'web', project_id: 'p', user_id: 'u', policy: 'anti-affinity',
  rules: { max_server_per_host: 2 }, members: ['m1'], created_at: '2026-01-01T00:00:00Z', updated_at: null,
};

describe('serverGroupView', () => {
  it('shows policies and empty metadata below 2.13, adding project and user at 2.13', () => {
    assert.deepEqual(serverGroupView(mv('2.1'), group), { id: group.uuid, name: 'web', policies: ['anti-affinity'], metadata: {}, members: ['m1'] });
    assert.deepEqual(serverGroupView(mv('2.13'), group), {
      id: group.uuid, name: 'web', policies: ['anti-affinity'], metadata: {}, members: ['m1'], project_id: 'p', user_id: 'u',
    });
  });

  it('shows policy and rules from 2.64', () => {
    assert.deepEqual(serverGroupView(mv('2.64'), group), {
      id: group.uuid, name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 2 }, members: ['m1'], project_id: 'p', user_id: 'u',
    });
    assert.deepEqual(serverGroupView(mv('2.64'), { ...group, policy: 'affinity', rules: {} })['rules'], {});
  });
});
