import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { NetworkInfoEntry, VirtualInterface } from '../../objects/block-device.js';
import type { CellSchema, VirtualInterfaceTable } from './cell-schema.js';

/**
 * Virtual interfaces of one cell (Nova's `virtual_interfaces`), one per port of an instance with
 * the port's tag, and the instance's network info cache that `addresses` is drawn from.
 *
 * @example
 * await repos.vifs.create({ uuid: port.id, instance_uuid, network_id: port.network_id, address: port.mac_address, tag: 'nic1' });
 * await repos.vifs.setNetworkInfo(instance_uuid, entries);
 */
export class VirtualInterfaceRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  async create(vif: Omit<VirtualInterface, 'created_at'>): Promise<VirtualInterface> {
    const created_at = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('virtual_interfaces')
      .values({ ...vif, created_at, updated_at: null, deleted_at: null })
      .execute();
    return { ...vif, created_at };
  }

  /** The live interfaces of each instance, in the order they were made. */
  async listFor(instanceUuids: readonly string[]): Promise<Map<string, VirtualInterface[]>> {
    const out = new Map<string, VirtualInterface[]>(instanceUuids.map((u) => [u, []]));
    if (instanceUuids.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('virtual_interfaces')
      .selectAll()
      .where('instance_uuid', 'in', [...instanceUuids])
      .where('deleted', '=', 0)
      .orderBy('id')
      .execute();
    for (const row of rows) out.get(row.instance_uuid)?.push(toVif(row));
    return out;
  }

  async list(instanceUuid: string): Promise<VirtualInterface[]> {
    return (await this.listFor([instanceUuid])).get(instanceUuid) ?? [];
  }

  /** Soft-deletes the interface of one port; true when it was live. */
  async destroy(instanceUuid: string, portId: string): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.db
      .updateTable('virtual_interfaces')
      .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
      .where('instance_uuid', '=', instanceUuid)
      .where('uuid', '=', portId)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Soft-deletes every interface of the instance and its network info cache. */
  async destroyAll(instanceUuid: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('virtual_interfaces')
        .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
        .where('instance_uuid', '=', instanceUuid)
        .where('deleted', '=', 0)
        .execute();
      await tx
        .updateTable('instance_info_caches')
        .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
        .where('instance_uuid', '=', instanceUuid)
        .where('deleted', '=', 0)
        .execute();
    });
  }

  /** Replaces the instance's network info cache. */
  async setNetworkInfo(instanceUuid: string, entries: readonly NetworkInfoEntry[]): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const network_info = JSON.stringify(entries);
    await this.deps.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('instance_info_caches')
        .set({ network_info, updated_at: now })
        .where('instance_uuid', '=', instanceUuid)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        await tx.insertInto('instance_info_caches').values({ instance_uuid: instanceUuid, network_info, created_at: now, updated_at: null, deleted_at: null }).execute();
      }
    });
  }

  /** The network info cache of each instance; empty for instances without one. */
  async networkInfoFor(instanceUuids: readonly string[]): Promise<Map<string, NetworkInfoEntry[]>> {
    const out = new Map<string, NetworkInfoEntry[]>(instanceUuids.map((u) => [u, []]));
    if (instanceUuids.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('instance_info_caches')
      .select(['instance_uuid', 'network_info'])
      .where('instance_uuid', 'in', [...instanceUuids])
      .where('deleted', '=', 0)
      .execute();
    for (const row of rows) out.set(row.instance_uuid, JSON.parse(row.network_info) as NetworkInfoEntry[]);
    return out;
  }

  /**
   * The newest network info cache of the instance, soft-deleted or not: after a delete it still
   * tells which ports Nova made (`preserve_on_delete` false) and which the user brought. Undefined
   * once archived, or for an instance that never had one.
   */
  async lastNetworkInfo(instanceUuid: string): Promise<NetworkInfoEntry[] | undefined> {
    const row = await this.deps.db
      .selectFrom('instance_info_caches')
      .select('network_info')
      .where('instance_uuid', '=', instanceUuid)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.network_info) as NetworkInfoEntry[]);
  }
}

function toVif(r: Selectable<VirtualInterfaceTable>): VirtualInterface {
  return { uuid: r.uuid, instance_uuid: r.instance_uuid, network_id: r.network_id, address: r.address, tag: r.tag, created_at: r.created_at };
}
