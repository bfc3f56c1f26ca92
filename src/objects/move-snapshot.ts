/**
 * Image properties that mark the temporary snapshot a cross-cell move makes of an image-backed
 * guest: which instance it is of, and for which migration. The move deletes it once the guest is
 * built in the target cell; an image with these properties whose migration is no longer open is
 * an orphan (`tessera audit`).
 */
export const MOVE_SNAPSHOT_OF = 'tessera_move_snapshot_of';
export const MOVE_SNAPSHOT_MIGRATION = 'tessera_migration';
