import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Aggregate } from '../../db/api/aggregate-repo.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { aggregateView } from './aggregate-view.js';

const mv = (v: string) => parseVersion(v) as Microversion;

const agg: Aggregate = {
  id: 7, uuid: '9a1c3f57-2a4b-4a83-a8e1-5b54f1f3f0aa', name: 'rack', hosts: ['h1'],
  metadata: { availability_zone: 'az1', ssd: 'true' }, created_at: '2026-11-24T10:00:00.000Z', updated_at: null,
};

describe('aggregateView', () => {
  it('shows what Nova shows, with uuid from 2.41', () => {
    assert.deepEqual(aggregateView(mv('2.41'), agg), {
      availability_zone: 'az1', created_at: '2026-11-24T10:00:00.000000', deleted: false, deleted_at: null, hosts: ['h1'],
      id: 7, metadata: { availability_zone: 'az1', ssd: 'true' }, name: 'rack', updated_at: null, uuid: agg.uuid,
    });
    assert.equal('uuid' in aggregateView(mv('2.40'), agg), false);
  });

  it('leaves hosts and metadata out of the create response, and shows a null zone when there is none', () => {
    const created = aggregateView(mv('2.1'), { ...agg, metadata: {} }, { withMembers: false });
    assert.deepEqual(Object.keys(created), ['availability_zone', 'created_at', 'deleted', 'deleted_at', 'id', 'name', 'updated_at']);
    assert.equal(created['availability_zone'], null);
  });
});
