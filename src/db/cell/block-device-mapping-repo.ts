import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import type { IdGenerator } from '../../common/ids.js';
import type { BlockDeviceMapping, NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { BlockDeviceMappingTable, CellSchema } from './cell-schema.js';
import { listOf, preparedFamily, type AnyPlaceholders } from '../prepared-query.js';

// Read for one instance on every boot and status change, and for a page of them by the lists.
const liveOf = preparedFamily(
  String,
  (db: Kysely<CellSchema>, p: AnyPlaceholders, n: number) =>
    db.selectFrom('block_device_mapping').selectAll().where('instance_uuid', 'in', listOf<string>(p, 'u', n)).where('deleted', '=', 0).orderBy('id'),
  64,
);

type Changes = Partial<Pick<BlockDeviceMapping, 'volume_id' | 'volume_size' | 'attachment_id' | 'connection_info' | 'device_name' | 'delete_on_termination' | 'tag'>>;

/**
 * Block device mappings of one cell (Nova's `block_device_mapping`). A mapping lives as long as
 * the device is part of the instance; detaching a volume or deleting the instance soft-deletes it.
 *
 * @example
 * const bdm = await repos.bdms.create({ instance_uuid, source_type: 'volume', destination_type: 'volume', volume_id, boot_index: 0 });
 * await repos.bdms.update(bdm.uuid, { attachment_id });
 * await repos.bdms.listFor([instance_uuid]); // Map uuid → mappings, boot index order
 */
export class BlockDeviceMappingRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock; ids: IdGenerator }) {}

  async create(values: NewBlockDeviceMapping): Promise<BlockDeviceMapping> {
    const uuid = values.uuid ?? this.deps.ids.uuid();
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('block_device_mapping')
      .values({
        uuid,
        instance_uuid: values.instance_uuid,
        source_type: values.source_type,
        destination_type: values.destination_type,
        boot_index: values.boot_index ?? null,
        device_name: values.device_name ?? null,
        device_type: values.device_type ?? null,
        disk_bus: values.disk_bus ?? null,
        guest_format: values.guest_format ?? null,
        delete_on_termination: values.delete_on_termination === true ? 1 : 0,
        image_id: values.image_id ?? null,
        snapshot_id: values.snapshot_id ?? null,
        volume_id: values.volume_id ?? null,
        volume_size: values.volume_size ?? null,
        volume_type: values.volume_type ?? null,
        attachment_id: values.attachment_id ?? null,
        connection_info: values.connection_info === undefined || values.connection_info === null ? null : JSON.stringify(values.connection_info),
        no_device: values.no_device === true ? 1 : 0,
        tag: values.tag ?? null,
        created_at: now,
        updated_at: null,
        deleted_at: null,
      })
      .execute();
    return this.get(uuid);
  }

  /** @throws NotFoundError `bdm.not_found` when missing or deleted. */
  async get(uuid: string): Promise<BlockDeviceMapping> {
    const row = await this.deps.db.selectFrom('block_device_mapping').selectAll().where('uuid', '=', uuid).where('deleted', '=', 0).executeTakeFirst();
    if (row === undefined) throw new NotFoundError('bdm.not_found', `Block device mapping ${uuid} could not be found.`);
    return toMapping(row);
  }

  /** The live mappings of each instance, boot devices first (by boot index), then in creation order. */
  async listFor(instanceUuids: readonly string[]): Promise<Map<string, BlockDeviceMapping[]>> {
    const out = new Map<string, BlockDeviceMapping[]>(instanceUuids.map((u) => [u, []]));
    if (instanceUuids.length === 0) return out;
    const rows = await liveOf.of(instanceUuids.length).rows(this.deps.db, { u: instanceUuids });
    for (const row of rows) out.get(row.instance_uuid)?.push(toMapping(row));
    for (const list of out.values()) list.sort(bootOrder);
    return out;
  }

  async list(instanceUuid: string): Promise<BlockDeviceMapping[]> {
    return (await this.listFor([instanceUuid])).get(instanceUuid) ?? [];
  }

  /** The live mapping of a volume on an instance, if it has one. */
  async findByVolume(instanceUuid: string, volumeId: string): Promise<BlockDeviceMapping | undefined> {
    return (await this.list(instanceUuid)).find((b) => b.volume_id === volumeId);
  }

  async update(uuid: string, changes: Changes): Promise<BlockDeviceMapping> {
    const { connection_info, delete_on_termination, ...rest } = changes;
    const set: Partial<Selectable<BlockDeviceMappingTable>> = { ...rest, updated_at: this.deps.clock.now().toISOString() };
    if (connection_info !== undefined) set.connection_info = connection_info === null ? null : JSON.stringify(connection_info);
    if (delete_on_termination !== undefined) set.delete_on_termination = delete_on_termination ? 1 : 0;
    const result = await this.deps.db.updateTable('block_device_mapping').set(set).where('uuid', '=', uuid).where('deleted', '=', 0).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('bdm.not_found', `Block device mapping ${uuid} could not be found.`);
    return this.get(uuid);
  }

  /** Soft-deletes one mapping; true when it was live. */
  async destroy(uuid: string): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.db
      .updateTable('block_device_mapping')
      .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
      .where('uuid', '=', uuid)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Removes mappings for good, deleted or not; for rollbacks of rows a failed flow wrote. */
  async purge(uuids: readonly string[]): Promise<void> {
    if (uuids.length === 0) return;
    await this.deps.db.deleteFrom('block_device_mapping').where('uuid', 'in', [...uuids]).execute();
  }

  /** Soft-deletes every mapping of the instance. */
  async destroyAll(instanceUuid: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .updateTable('block_device_mapping')
      .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
      .where('instance_uuid', '=', instanceUuid)
      .where('deleted', '=', 0)
      .execute();
  }
}

function bootOrder(a: BlockDeviceMapping, b: BlockDeviceMapping): number {
  const ai = a.boot_index === null || a.boot_index < 0 ? Infinity : a.boot_index;
  const bi = b.boot_index === null || b.boot_index < 0 ? Infinity : b.boot_index;
  return ai - bi;
}

function toMapping(r: Selectable<BlockDeviceMappingTable>): BlockDeviceMapping {
  return {
    uuid: r.uuid,
    instance_uuid: r.instance_uuid,
    source_type: r.source_type as BlockDeviceMapping['source_type'],
    destination_type: r.destination_type as BlockDeviceMapping['destination_type'],
    boot_index: r.boot_index,
    device_name: r.device_name,
    device_type: r.device_type,
    disk_bus: r.disk_bus,
    guest_format: r.guest_format,
    delete_on_termination: r.delete_on_termination === 1,
    image_id: r.image_id,
    snapshot_id: r.snapshot_id,
    volume_id: r.volume_id,
    volume_size: r.volume_size,
    volume_type: r.volume_type,
    attachment_id: r.attachment_id,
    connection_info: r.connection_info === null ? null : (JSON.parse(r.connection_info) as Record<string, unknown>),
    no_device: r.no_device === 1,
    tag: r.tag,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
