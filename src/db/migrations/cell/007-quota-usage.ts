import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SchemaMigration } from '../../migrator.js';

/**
 * What each project's users hold in the cell, kept by triggers on `instances`: the quota count
 * reads a few rows (one per user of the project) instead of summing every instance of the project,
 * which grew with the project and was the largest statement of a boot. The triggers run inside the
 * statement that changes an instance, so the sums are exactly what a count of the rows would give,
 * whoever writes the row (API, conductor, compute, archive), and never drift: no reservation or
 * usage bookkeeping in code, as Nova's count-based quotas. An instance counts while it is live,
 * visible, not soft-deleted and not being deleted (`countableRows` in instance-repo.ts).
 *
 * The quota index (every state column of the row) is replaced by one on project and `hidden` for
 * the hidden copies the count still reads: a state change no longer moves the row in an index.
 */
export const cellQuotaUsage: SchemaMigration = {
  name: '007-quota-usage',
  async up(db, dialect) {
    await db.schema
      .createTable('quota_usage')
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('instances', 'integer', (c) => c.notNull())
      .addColumn('cores', 'integer', (c) => c.notNull())
      .addColumn('ram', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quota_usage_pk', ['project_id', 'user_id'])
      .execute();
    // On PostgreSQL other services may be writing while this runs: no instance may change between
    // the fill and the triggers (it would be counted in neither). The lock holds until the
    // migration's transaction commits; SQLite's write lock already does the same.
    if (dialect === 'postgres') await sql`lock table instances in share row exclusive mode`.execute(db);
    await sql`
      insert into quota_usage (project_id, user_id, instances, cores, ram)
      select project_id, user_id, count(*), sum(vcpus), sum(memory_mb) from instances as r
      where ${counted('r')} group by project_id, user_id`.execute(db);
    if (dialect === 'sqlite') await sqliteTriggers(db);
    else await postgresTrigger(db);
    await db.schema.dropIndex('instances_quota_idx').execute();
    await db.schema.createIndex('instances_project_hidden_idx').on('instances').columns(['project_id', 'hidden']).execute();
  },
};

/** Whether the row `r` (a table alias, `new` or `old`) counts against quota, as a SQL condition. */
function counted(r: string): RawBuilder<unknown> {
  const row = sql.raw(r);
  return sql`(${row}.deleted = 0 and ${row}.hidden = 0 and ${row}.vm_state is not null and ${row}.vm_state <> 'soft-delete'
    and (${row}.task_state is null or ${row}.task_state not in ('deleting', 'soft-deleting')))`;
}

/** Adds one instance's holdings to its project and user's row (a negative sign takes them off). */
function add(r: 'new' | 'old', sign: 1 | -1): RawBuilder<unknown> {
  const row = sql.raw(r);
  const s = sql.raw(sign === 1 ? '' : '-');
  return sql`insert into quota_usage (project_id, user_id, instances, cores, ram)
    select ${row}.project_id, ${row}.user_id, ${s}1, ${s}${row}.vcpus, ${s}${row}.memory_mb where ${counted(r)}
    on conflict (project_id, user_id) do update set
      instances = quota_usage.instances + excluded.instances, cores = quota_usage.cores + excluded.cores, ram = quota_usage.ram + excluded.ram`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  await sql`create trigger instances_quota_insert after insert on instances when ${counted('new')}
    begin ${add('new', 1)}; end`.execute(db);
  await sql`create trigger instances_quota_delete after delete on instances when ${counted('old')}
    begin ${add('old', -1)}; end`.execute(db);
  await sql`create trigger instances_quota_update
    after update of deleted, hidden, vm_state, task_state, vcpus, memory_mb, project_id, user_id on instances
    when ${changesSums()}
    begin ${add('old', -1)}; ${add('new', 1)}; end`.execute(db);
}

/**
 * Whether an update changes what the sums hold. Most do not (a task state moving on during a
 * build), and the update trigger does not run for them.
 */
function changesSums(): RawBuilder<unknown> {
  return sql`(${counted('old')} <> ${counted('new')} or (${counted('new')} and (old.vcpus <> new.vcpus or old.memory_mb <> new.memory_mb
      or old.project_id <> new.project_id or old.user_id <> new.user_id)))`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postgresTrigger(db: Kysely<any>): Promise<void> {
  await sql`create function instances_quota_usage() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then ${add('old', -1)}; end if;
      if tg_op <> 'DELETE' then ${add('new', 1)}; end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger instances_quota_insert_delete after insert or delete on instances
    for each row execute function instances_quota_usage()`.execute(db);
  await sql`create trigger instances_quota_update after update on instances
    for each row when ${changesSums()} execute function instances_quota_usage()`.execute(db);
}
