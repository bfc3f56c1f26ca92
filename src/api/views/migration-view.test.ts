import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Migration } from '../../objects/migration.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { migrationView } from './migration-view.js';
import { nextPageLinks } from './next-page-links.js';

function mv(text: string): Microversion {
  const v = parseVersion(text);
  if (v === undefined) throw new Error(text);
  return v;
}

const M: Migration = {
  id: 4, uuid: '42341d4b-346a-40d0-83c6-5f4f6892b650', instance_uuid: '9128d044-7b61-403e-b766-7547076ff6c1',
  source_compute: 'compute10', source_node: 'node10', dest_compute: 'compute20', dest_node: 'node20', dest_host: '5.6.7.8',
  old_instance_type_id: 5, new_instance_type_id: 6, status: 'migrating', migration_type: 'resize', cross_cell_move: false, hidden: false,
  user_id: 'u1', project_id: 'p1', created_at: '2016-06-23T14:42:02.000Z', updated_at: '2016-06-23T14:42:02.000Z', deleted_at: null, deleted: false,
};
const ROOTS = { versioned: 'http://h/compute/v2.1', bookmark: 'http://h/compute' };
const BASE = {
  id: 4, source_compute: 'compute10', dest_compute: 'compute20', source_node: 'node10', dest_node: 'node20', dest_host: '5.6.7.8',
  old_instance_type_id: 5, new_instance_type_id: 6, instance_uuid: M.instance_uuid, status: 'migrating',
  created_at: '2016-06-23T14:42:02.000000', updated_at: '2016-06-23T14:42:02.000000',
};

describe('migrationView', () => {
  it('shows the base fields at 2.1 and 2.22, with Nova\'s times', () => {
    assert.deepEqual(migrationView(mv('2.1'), M, ROOTS), BASE);
    assert.deepEqual(migrationView(mv('2.22'), M, ROOTS), BASE);
    assert.equal(migrationView(mv('2.1'), { ...M, updated_at: null }, ROOTS)['updated_at'], null);
  });

  it('adds migration_type at 2.23, uuid at 2.59, user_id and project_id at 2.80', () => {
    assert.deepEqual(migrationView(mv('2.23'), M, ROOTS), { ...BASE, migration_type: 'resize' });
    assert.deepEqual(migrationView(mv('2.79'), M, ROOTS), { ...BASE, migration_type: 'resize', uuid: M.uuid });
    assert.deepEqual(migrationView(mv('2.80'), M, ROOTS), { ...BASE, migration_type: 'resize', uuid: M.uuid, user_id: 'u1', project_id: 'p1' });
  });

  it('links only a live migration in progress to its server\'s migration', () => {
    const live = { ...M, migration_type: 'live-migration', status: 'running' } as unknown as Migration;
    assert.deepEqual(migrationView(mv('2.23'), live, ROOTS)['links'], [
      { rel: 'self', href: `http://h/compute/v2.1/servers/${M.instance_uuid}/migrations/4` },
      { rel: 'bookmark', href: `http://h/compute/servers/${M.instance_uuid}/migrations/4` },
    ]);
    assert.equal(migrationView(mv('2.23'), { ...live, status: 'completed' }, ROOTS)['links'], undefined);
    assert.equal(migrationView(mv('2.22'), live, ROOTS)['links'], undefined);
    assert.equal(migrationView(mv('2.23'), { ...M, status: 'running' }, ROOTS)['links'], undefined);
  });
});

describe('nextPageLinks', () => {
  it('links the next page of a full page, with the query sorted and the marker replaced', () => {
    assert.deepEqual(nextPageLinks('http://h/c/os-migrations', { status: 'done', limit: '2', marker: 'old' }, 2, 2, 'last'), [
      { rel: 'next', href: 'http://h/c/os-migrations?limit=2&marker=last&status=done' },
    ]);
  });

  it('has no link for a short page, an empty one, or a page size of 0', () => {
    assert.deepEqual(nextPageLinks('u', {}, 1, 2, 'x'), []);
    assert.deepEqual(nextPageLinks('u', {}, 0, 0, undefined), []);
    assert.deepEqual(nextPageLinks('u', { limit: '0' }, 0, 0, 'x'), []);
  });
});
