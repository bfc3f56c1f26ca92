import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceAction, InstanceActionEvent } from '../../objects/instance-action.js';
import { parseVersion, type Microversion } from '../microversion.js';
import { instanceActionDetailView, instanceActionView } from './instance-action-view.js';
import { hostId } from './server-view.js';

function mv(text: string): Microversion {
  const v = parseVersion(text);
  if (v === undefined) throw new Error(text);
  return v;
}

const ACTION: InstanceAction = {
  id: 7, action: 'stop', instance_uuid: '4bf3473b-d550-4b65-9409-292d44ab14a2', request_id: 'req-0d819d5c-1527-4669-bdf0-ffad31b5105b',
  user_id: 'u1', project_id: 'p1', start_time: '2018-04-25T01:26:36.341Z', finish_time: null, message: null,
  created_at: '2018-04-25T01:26:36.341Z', updated_at: '2018-04-25T01:26:36.790Z',
};
const EVENT: InstanceActionEvent = {
  id: 1, action_id: 7, event: 'compute_stop_instance', start_time: '2018-04-25T01:26:36.539Z', finish_time: '2018-04-25T01:26:36.790Z',
  result: 'Error', traceback: 'Error: boom', host: 'compute', details: 'boom', created_at: '2018-04-25T01:26:36.790Z',
};
const BASE = {
  action: 'stop', instance_uuid: ACTION.instance_uuid, request_id: ACTION.request_id, user_id: 'u1', project_id: 'p1',
  start_time: '2018-04-25T01:26:36.341000', message: null,
};
const ADMIN = { fullEvents: true, eventDetails: true };
const MEMBER = { fullEvents: false, eventDetails: false };
const TIMES = { event: 'compute_stop_instance', start_time: '2018-04-25T01:26:36.539000', finish_time: '2018-04-25T01:26:36.790000', result: 'Error' };

describe('instance action views', () => {
  it('lists the base fields in Nova\'s time format, with updated_at from 2.58', () => {
    assert.deepEqual(instanceActionView(mv('2.1'), ACTION), BASE);
    assert.deepEqual(instanceActionView(mv('2.57'), ACTION), BASE);
    assert.deepEqual(instanceActionView(mv('2.58'), ACTION), { ...BASE, updated_at: '2018-04-25T01:26:36.790000' });
  });

  it('shows events with traceback to admins at 2.1, and none to members before 2.51', () => {
    assert.deepEqual(instanceActionDetailView(mv('2.1'), ACTION, [EVENT], ADMIN, 'p1'), { ...BASE, events: [{ ...TIMES, traceback: 'Error: boom' }] });
    assert.deepEqual(instanceActionDetailView(mv('2.50'), ACTION, [EVENT], MEMBER, 'p1'), BASE);
  });

  it('shows members the events without traceback from 2.51', () => {
    assert.deepEqual(instanceActionDetailView(mv('2.51'), ACTION, [EVENT], MEMBER, 'p1'), { ...BASE, events: [TIMES] });
  });

  it('adds hostId for everyone and host for admins from 2.62, and details for whom policy allows from 2.84', () => {
    const digest = hostId('p1', 'compute');
    const updated = { updated_at: '2018-04-25T01:26:36.790000' };
    assert.deepEqual(instanceActionDetailView(mv('2.62'), ACTION, [EVENT], MEMBER, 'p1'), { ...BASE, ...updated, events: [{ ...TIMES, hostId: digest }] });
    assert.deepEqual(instanceActionDetailView(mv('2.83'), ACTION, [EVENT], ADMIN, 'p1'), { ...BASE, ...updated, events: [{ ...TIMES, traceback: 'Error: boom', host: 'compute', hostId: digest }] });
    assert.deepEqual(instanceActionDetailView(mv('2.84'), ACTION, [EVENT], ADMIN, 'p1'), {
      ...BASE, ...updated, events: [{ ...TIMES, traceback: 'Error: boom', host: 'compute', hostId: digest, details: 'boom' }],
    });
    assert.deepEqual(instanceActionDetailView(mv('2.84'), ACTION, [EVENT], MEMBER, 'p1'), { ...BASE, ...updated, events: [{ ...TIMES, hostId: digest }] });
    assert.deepEqual(instanceActionDetailView(mv('2.84'), ACTION, [EVENT], { fullEvents: false, eventDetails: true }, 'p1'), {
      ...BASE, ...updated, events: [{ ...TIMES, hostId: digest, details: 'boom' }],
    });
  });

  it('gives an event without a host an empty hostId, and uses the server\'s project for an action without one', () => {
    const view = instanceActionDetailView(mv('2.62'), { ...ACTION, project_id: '' }, [{ ...EVENT, host: null }, EVENT], MEMBER, 'p9');
    const events = view['events'] as Record<string, unknown>[];
    assert.equal(events[0]?.['hostId'], '');
    assert.equal(events[1]?.['hostId'], hostId('p9', 'compute'));
  });
});
