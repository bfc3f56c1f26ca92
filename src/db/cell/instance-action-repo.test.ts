import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { openDatabase, type Database } from '../connection.js';
import { cellMigrations } from '../migrations/cell/index.js';
import { migrateToLatest } from '../migrator.js';
import type { CellSchema } from './cell-schema.js';
import { InstanceActionRepo } from './instance-action-repo.js';

describe('InstanceActionRepo', () => {
  let database: Database<CellSchema>;
  let repo: InstanceActionRepo;
  let clock: ManualClock;
  const uuid = '11111111-1111-4111-8111-111111111111';
  const other = '22222222-2222-4222-8222-222222222222';

  beforeEach(async () => {
    database = openDatabase<CellSchema>('sqlite://');
    await migrateToLatest(database, cellMigrations);
    clock = new ManualClock();
    repo = new InstanceActionRepo({ db: database.db, clock });
  });
  afterEach(async () => database.close());

  const start = (requestId: string, action = 'stop', instanceUuid = uuid) => repo.start({ action, instanceUuid, requestId, userId: 'u1', projectId: 'p1' });

  it('starts an action with updated_at at its start, and moves updated_at on with each event', async () => {
    await start('req-1');
    const started = await repo.findByRequestId(uuid, 'req-1');
    assert.equal(started?.updated_at, clock.now().toISOString());
    assert.equal(started?.start_time, clock.now().toISOString());
    const stepStart = clock.now().toISOString();
    clock.advance(1500);
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', event: 'compute_stop_instance', startTime: stepStart, result: 'Success', host: 'h1' });
    const after = await repo.findByRequestId(uuid, 'req-1');
    assert.equal(after?.updated_at, clock.now().toISOString());
    assert.equal(after?.message, null);
  });

  it('answers the id of the action it starts; an event given that id goes under it without a lookup', async () => {
    const first = await start('req-1', 'create');
    assert.equal(first, (await repo.findByRequestId(uuid, 'req-1'))?.id);
    // A newer action under the same request id: the lookup would pick it, the id does not.
    const second = await start('req-1', 'stop');
    assert.notEqual(second, first);
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', actionId: first, event: 'by_id', startTime: clock.now().toISOString(), result: 'Success', host: null });
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', event: 'by_request', startTime: clock.now().toISOString(), result: 'Success', host: null });
    assert.deepEqual((await repo.events(first)).map((e) => e.event), ['by_id']);
    assert.deepEqual((await repo.events(second)).map((e) => e.event), ['by_request']);
  });

  it('finds an action by request id on its own instance only', async () => {
    await start('req-1');
    assert.equal((await repo.findByRequestId(uuid, 'req-1'))?.action, 'stop');
    assert.equal(await repo.findByRequestId(other, 'req-1'), undefined);
    assert.equal(await repo.findByRequestId(uuid, 'req-unknown'), undefined);
  });

  it('lists an instance\'s actions newest first, ties on created_at broken by id, and pages after a marker', async () => {
    await start('req-1', 'create');
    await start('req-2', 'stop');
    clock.advance(1000);
    await start('req-3', 'start');
    await start('req-x', 'stop', other);
    const ids = async (q: Parameters<InstanceActionRepo['list']>[1]) => (await repo.list(uuid, q)).map((a) => a.request_id);
    assert.deepEqual(await ids({}), ['req-3', 'req-2', 'req-1']);
    assert.deepEqual(await ids({ limit: 2 }), ['req-3', 'req-2']);
    const marker = await repo.findByRequestId(uuid, 'req-2');
    assert.ok(marker);
    assert.deepEqual(await ids({ marker }), ['req-1']);
    assert.deepEqual(await ids({ marker: (await repo.findByRequestId(uuid, 'req-3')) as NonNullable<typeof marker>, limit: 1 }), ['req-2']);
    assert.deepEqual(await ids({ limit: 0 }), []);
  });

  it('filters by updated_at with changes-since and changes-before, both inclusive', async () => {
    await start('req-1');
    const t0 = clock.now().toISOString();
    clock.advance(1000);
    await start('req-2');
    const t1 = clock.now().toISOString();
    clock.advance(1000);
    // An event on the older action makes it recent again.
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', event: 'e', startTime: t0, result: 'Success', host: null });
    const t2 = clock.now().toISOString();
    const ids = async (q: Parameters<InstanceActionRepo['list']>[1]) => (await repo.list(uuid, q)).map((a) => a.request_id);
    assert.deepEqual(await ids({ changesSince: t2 }), ['req-1']);
    assert.deepEqual(await ids({ changesSince: t1 }), ['req-2', 'req-1']);
    assert.deepEqual(await ids({ changesBefore: t1 }), ['req-2']);
    assert.deepEqual(await ids({ changesSince: t1, changesBefore: t1 }), ['req-2']);
  });

  it('lists events newest first with their details, and marks the action Error when one failed', async () => {
    await start('req-1');
    const t0 = clock.now().toISOString();
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', event: 'first', startTime: t0, result: 'Success', host: 'h1' });
    clock.advance(10);
    await repo.recordEvent({ instanceUuid: uuid, requestId: 'req-1', event: 'second', startTime: t0, result: 'Error', host: 'h1', traceback: 'Error: boom\n  at x', details: 'boom' });
    const action = await repo.findByRequestId(uuid, 'req-1');
    assert.equal(action?.message, 'Error');
    const events = await repo.events(action?.id ?? -1);
    assert.deepEqual(events.map((e) => [e.event, e.result, e.details, e.traceback]), [
      ['second', 'Error', 'boom', 'Error: boom\n  at x'],
      ['first', 'Success', null, null],
    ]);
    assert.equal(events[0]?.finish_time, clock.now().toISOString());
    assert.equal(events[0]?.start_time, t0);
  });
});
