/**
 * Rows of a child table that belong to a row of its parent: `child.childColumn = parent.parentColumn`.
 * Archiving a parent row moves these with it (and theirs, recursively), children first.
 */
export interface ChildRelation {
  table: string;
  childColumn: string;
  parentColumn: string;
  /** The child table has no shadow (it is not soft-deleted): leftovers are deleted, not archived. */
  deleteOnly?: boolean;
  children?: ChildRelation[];
}

/** A soft-deleted table whose deleted rows the archive moves, with what moves along with each row. */
export interface ArchivedTable {
  table: string;
  children: ChildRelation[];
}

const eventsOfAction: ChildRelation = { table: 'instance_actions_events', childColumn: 'action_id', parentColumn: 'id' };

const byInstance = (table: string, children: ChildRelation[] = []): ChildRelation => ({ table, childColumn: 'instance_uuid', parentColumn: 'uuid', children });

/**
 * The cell tables in the order the archive visits them, parents before children, as Nova walks
 * its tables in foreign-key order. An archived instance takes along everything recorded about it,
 * deleted or not: its actions with their events (kept while the instance is only soft-deleted, so
 * that operators can still read what happened to it), its faults, block device mappings, virtual
 * interfaces, network info cache and migrations. Its tags were deleted outright with it; any left
 * over are deleted so that nothing refers to an instance that is gone. The child tables come
 * after: their own deleted rows (a detached volume's mapping of a live server, say) move on their
 * turn. Tessera holds only one real foreign key here (events → actions); the others are the
 * instance_uuid references that Nova's schema declares as foreign keys.
 */
export const CELL_ARCHIVE_PLAN: readonly ArchivedTable[] = [
  { table: 'services', children: [] },
  { table: 'compute_nodes', children: [] },
  {
    table: 'instances',
    children: [
      byInstance('instance_actions', [eventsOfAction]),
      byInstance('instance_faults'),
      byInstance('block_device_mapping'),
      byInstance('virtual_interfaces'),
      byInstance('instance_info_caches'),
      byInstance('migrations'),
      { table: 'tags', childColumn: 'resource_id', parentColumn: 'uuid', deleteOnly: true },
    ],
  },
  { table: 'instance_actions', children: [eventsOfAction] },
  { table: 'instance_actions_events', children: [] },
  { table: 'instance_faults', children: [] },
  { table: 'block_device_mapping', children: [] },
  { table: 'virtual_interfaces', children: [] },
  { table: 'instance_info_caches', children: [] },
  { table: 'migrations', children: [] },
];
