/**
 * Image properties that mark a snapshot a cross-cell move takes of an image-backed guest (step 3
 * of the flow in DESIGN.md §4). The snapshot exists only while the move is open: the destination
 * spawns from it and the move deletes it at finish, or its rollback does. The marks let
 * `tessera audit` find a snapshot that a dead move left behind: one whose migration is missing or
 * no longer open (see `OPEN_MIGRATION_STATUSES`).
 *
 * @example
 * await images.create(ctx, { name: `move-${instance.uuid}`, visibility: 'private', os_hidden: true,
 *   properties: { [MOVE_SNAPSHOT_OF]: instance.uuid, [MOVE_SNAPSHOT_MIGRATION]: migration.uuid } });
 */
/** The uuid of the instance the snapshot was taken of. */
export const MOVE_SNAPSHOT_OF = 'tessera_move_snapshot_of';

/** The uuid of the migration that took it (and should delete it). */
export const MOVE_SNAPSHOT_MIGRATION = 'tessera_migration';
