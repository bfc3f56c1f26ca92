/** Nova's migration statuses for resize and cold migration, in the order a move goes through them. */
export const MigrationStatus = {
  PRE_MIGRATING: 'pre-migrating',
  MIGRATING: 'migrating',
  POST_MIGRATING: 'post-migrating',
  FINISHED: 'finished',
  CONFIRMING: 'confirming',
  CONFIRMED: 'confirmed',
  REVERTING: 'reverting',
  REVERTED: 'reverted',
  ERROR: 'error',
} as const;
export type MigrationStatus = (typeof MigrationStatus)[keyof typeof MigrationStatus];

/** `resize` when the flavor changes, `migration` for a cold migration (same flavor). */
export type MigrationType = 'resize' | 'migration';

/** Statuses after which a migration holds nothing: no allocation, no claim, no guest copy. */
export const DONE_MIGRATION_STATUSES: readonly string[] = [MigrationStatus.CONFIRMED, MigrationStatus.REVERTED, MigrationStatus.ERROR];

/** Statuses of a move still holding something (an allocation, a claim, disks set aside). */
export const OPEN_MIGRATION_STATUSES: string[] = [
  MigrationStatus.PRE_MIGRATING, MigrationStatus.MIGRATING, MigrationStatus.POST_MIGRATING, MigrationStatus.FINISHED,
  MigrationStatus.CONFIRMING, MigrationStatus.REVERTING,
];

/**
 * One move of an instance (Nova's `migrations` row), kept in the instance's cell. Its uuid is
 * also the placement consumer that holds the source node's allocation while the move is open.
 */
export interface Migration {
  id: number;
  uuid: string;
  instance_uuid: string;
  source_compute: string | null;
  source_node: string | null;
  dest_compute: string | null;
  dest_node: string | null;
  dest_host: string | null;
  /** The internal ids of the old and new flavors (equal for a cold migration). */
  old_instance_type_id: number;
  new_instance_type_id: number;
  status: string;
  migration_type: MigrationType;
  cross_cell_move: boolean;
  hidden: boolean;
  user_id: string | null;
  project_id: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
}

/** What a caller gives to record a new migration; ids, times and the soft-delete marker are the database's. */
export type NewMigration = Omit<Migration, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted' | 'hidden' | 'cross_cell_move'> &
  Partial<Pick<Migration, 'hidden' | 'cross_cell_move'>>;
