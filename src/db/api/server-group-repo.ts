import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { IdGenerator } from '../../common/ids.js';
import { isUniqueViolation } from '../unique-violation.js';
import type { ApiSchema, InstanceGroupTable } from './api-schema.js';

/** The placement policies a server group can have. */
export const SERVER_GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const;
export type ServerGroupPolicy = (typeof SERVER_GROUP_POLICIES)[number];

/** Rules of a group; only anti-affinity groups have any (`max_server_per_host`, default 1). */
export interface ServerGroupRules {
  max_server_per_host?: number;
}

/** A server group with its members (instance uuids, in the order they joined). */
export interface ServerGroup {
  id: number;
  uuid: string;
  name: string | null;
  project_id: string;
  user_id: string;
  policy: ServerGroupPolicy;
  rules: ServerGroupRules;
  members: string[];
  created_at: string;
  updated_at: string | null;
}

export interface NewServerGroup {
  name: string;
  projectId: string;
  userId: string;
  policy: ServerGroupPolicy;
  rules: ServerGroupRules;
}

/** Where a member lives: its instance mapping's cell, null while unscheduled, undefined without a mapping. */
export interface MemberLocation {
  instance_uuid: string;
  cell_id: number | null | undefined;
}

// Bound parameters per `IN (...)` list, well below every dialect's limit.
const CHUNK = 500;

/**
 * Server groups (Nova's instance groups) and their members, in the API database.
 *
 * @example
 * const group = await repos.serverGroups.get(hints.group);
 * await repos.serverGroups.addMember(group.uuid, instance.uuid);
 * const hostsToAvoid = await repos.serverGroups.membersOf(group.uuid);
 */
export class ServerGroupRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock; ids: IdGenerator }) {}

  async create(values: NewServerGroup): Promise<ServerGroup> {
    const uuid = this.deps.ids.uuid();
    await this.deps.db
      .insertInto('instance_groups')
      .values({
        uuid,
        name: values.name,
        project_id: values.projectId,
        user_id: values.userId,
        policy: values.policy,
        rules: JSON.stringify(values.rules),
        created_at: this.deps.clock.now().toISOString(),
        updated_at: null,
      })
      .execute();
    return this.get(uuid);
  }

  /** The group with this uuid; with `projectId`, only when it belongs to that project. */
  async find(uuid: string, filter: { projectId?: string } = {}): Promise<ServerGroup | undefined> {
    let q = this.deps.db.selectFrom('instance_groups').selectAll().where('uuid', '=', uuid);
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    const row = await q.executeTakeFirst();
    if (row === undefined) return undefined;
    return toServerGroup(row, (await this.membersByGroup([row.id])).get(row.id) ?? []);
  }

  /** @throws NotFoundError `compute.server_group_not_found` */
  async get(uuid: string): Promise<ServerGroup> {
    const group = await this.find(uuid);
    if (group === undefined) throw notFound(uuid);
    return group;
  }

  /** Every group (of one project when `projectId` is given), oldest first. */
  async list(filter: { projectId?: string } = {}): Promise<ServerGroup[]> {
    let q = this.deps.db.selectFrom('instance_groups').selectAll();
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    const rows = await q.orderBy('id').execute();
    const members = await this.membersByGroup(rows.map((r) => r.id));
    return rows.map((r) => toServerGroup(r, members.get(r.id) ?? []));
  }

  /** How many groups the project has (of one user when `userId` is given): the `server_groups` quota's usage. */
  async countOf(projectId: string, userId?: string): Promise<number> {
    let q = this.deps.db.selectFrom('instance_groups').select((eb) => eb.fn.countAll<number | string>().as('n')).where('project_id', '=', projectId);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  /** Deletes the group and its memberships; false when there was no such group. */
  async delete(uuid: string): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('instance_groups').select('id').where('uuid', '=', uuid).executeTakeFirst();
      if (row === undefined) return false;
      await trx.deleteFrom('instance_group_members').where('group_id', '=', row.id).execute();
      await trx.deleteFrom('instance_groups').where('id', '=', row.id).execute();
      return true;
    });
  }

  /**
   * Makes the instance a member of the group; adding it again to the same group does nothing.
   *
   * @throws NotFoundError when the group does not exist.
   * @throws ConflictError `compute.server_group_member_exists` when the instance is in another group.
   */
  async addMember(groupUuid: string, instanceUuid: string): Promise<void> {
    const group = await this.deps.db.selectFrom('instance_groups').select('id').where('uuid', '=', groupUuid).executeTakeFirst();
    if (group === undefined) throw notFound(groupUuid);
    try {
      await this.deps.db
        .insertInto('instance_group_members')
        .values({ group_id: group.id, instance_uuid: instanceUuid, created_at: this.deps.clock.now().toISOString(), updated_at: null })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const current = await this.groupOf(instanceUuid);
      if (current?.uuid === groupUuid) return;
      throw new ConflictError('compute.server_group_member_exists', `Instance ${instanceUuid} is already a member of server group ${current?.uuid ?? '(unknown)'}.`, { cause: err });
    }
  }

  /** Takes the instance out of whatever group it is in; does nothing when it is in none. */
  async removeMember(instanceUuid: string): Promise<void> {
    await this.deps.db.deleteFrom('instance_group_members').where('instance_uuid', '=', instanceUuid).execute();
  }

  /** The instance uuids of the group's members, in the order they joined. @throws NotFoundError */
  async membersOf(groupUuid: string): Promise<string[]> {
    return (await this.get(groupUuid)).members;
  }

  /** The group the instance is a member of, if any. */
  async groupOf(instanceUuid: string): Promise<ServerGroup | undefined> {
    const row = await this.deps.db
      .selectFrom('instance_group_members as m')
      .innerJoin('instance_groups as g', 'g.id', 'm.group_id')
      .select('g.uuid')
      .where('m.instance_uuid', '=', instanceUuid)
      .executeTakeFirst();
    return row === undefined ? undefined : this.find(row.uuid);
  }

  /**
   * For each instance uuid, the cell its instance mapping points at (null while it is being
   * scheduled, undefined when it has no mapping any more), so that the API can leave deleted
   * members out as Nova does.
   */
  async locateMembers(instanceUuids: readonly string[]): Promise<MemberLocation[]> {
    const found = new Map<string, number | null>();
    for (let i = 0; i < instanceUuids.length; i += CHUNK) {
      const chunk = instanceUuids.slice(i, i + CHUNK);
      const rows = await this.deps.db.selectFrom('instance_mappings').select(['instance_uuid', 'cell_id']).where('instance_uuid', 'in', chunk).execute();
      for (const r of rows) found.set(r.instance_uuid, r.cell_id);
    }
    return instanceUuids.map((uuid) => ({ instance_uuid: uuid, cell_id: found.has(uuid) ? found.get(uuid) : undefined }));
  }

  private async membersByGroup(groupIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (let i = 0; i < groupIds.length; i += CHUNK) {
      const rows = await this.deps.db
        .selectFrom('instance_group_members')
        .select(['group_id', 'instance_uuid'])
        .where('group_id', 'in', groupIds.slice(i, i + CHUNK))
        .orderBy('id')
        .execute();
      for (const r of rows) {
        const members = out.get(r.group_id);
        if (members === undefined) out.set(r.group_id, [r.instance_uuid]);
        else members.push(r.instance_uuid);
      }
    }
    return out;
  }
}

function notFound(uuid: string): NotFoundError {
  return new NotFoundError('compute.server_group_not_found', `Instance group ${uuid} could not be found.`);
}

function toServerGroup(row: Selectable<InstanceGroupTable>, members: string[]): ServerGroup {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    project_id: row.project_id,
    user_id: row.user_id,
    policy: row.policy as ServerGroupPolicy,
    rules: parseRules(row.rules),
    members,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function parseRules(text: string): ServerGroupRules {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const max = raw['max_server_per_host'];
  return max === undefined ? {} : { max_server_per_host: Number(max) };
}
