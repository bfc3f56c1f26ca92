import { BadRequestError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { parseBeforeDate } from '../db/archive/parse-before-date.js';
import { purgeDatabases, type PurgeOfCell } from '../services/archive-databases.js';
import type { DbMaintenanceFlags } from './cli-options.js';
import { apiDatabaseReachable, cellSelectionOf, withDbMaintenance } from './db-maintenance-session.js';

/** nova-manage db purge's exit codes. */
export const PURGE_EXIT = {
  /** Rows were deleted. */
  PURGED: 0,
  /** Neither --before nor --all (also Tessera's cell choice). */
  MISSING_ARGUMENT: 1,
  /** --before is not a date. */
  BAD_DATE: 2,
  /** Nothing was deleted. */
  NOTHING: 3,
  /** The cell list could not be read from the API database. */
  NO_CELLS: 4,
} as const;

/** `tessera db purge`: Nova's `nova-manage db purge`, with its options and exit codes. */
export async function runDbPurge(config: Config, logger: Logger, flags: DbMaintenanceFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const say = (line: string): void => void out.write(`${line}\n`);
  if (flags.before === undefined && !flags.all) {
    say('Either --before or --all is required');
    return PURGE_EXIT.MISSING_ARGUMENT;
  }
  let before: Date | undefined;
  try {
    before = flags.before === undefined ? undefined : parseBeforeDate(flags.before);
  } catch (err) {
    say((err as Error).message);
    return PURGE_EXIT.BAD_DATE;
  }
  const cells = cellSelectionOf(flags);
  if (cells === undefined) {
    say('--all-cells and --cell exclude each other');
    return PURGE_EXIT.MISSING_ARGUMENT;
  }
  return withDbMaintenance(config, logger, async (deps) => {
    if (!(await apiDatabaseReachable(deps))) {
      say('Unable to get the cell list from the API database. Is it configured (tessera db sync)?');
      return PURGE_EXIT.NO_CELLS;
    }
    let purged: PurgeOfCell[];
    try {
      // --all wins over --before when both are given, as nothing is older than everything.
      purged = await purgeDatabases(deps, { cells, before: flags.all ? undefined : before });
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      say(err.message);
      return PURGE_EXIT.MISSING_ARGUMENT;
    }
    printPurged(purged, flags.verbose, say);
    return purged.some((p) => p.tables.length > 0) ? PURGE_EXIT.PURGED : PURGE_EXIT.NOTHING;
  });
}

/** With --verbose, one line per shadow table that lost rows, as nova-manage prints them. */
export function printPurged(purged: PurgeOfCell[], verbose: boolean, say: (line: string) => void): void {
  if (!verbose) return;
  for (const cell of purged) {
    const who = cell.label === undefined ? 'DB' : `Cell ${cell.label}`;
    for (const t of cell.tables) say(`${who}: Deleted ${t.rows} rows from ${t.table} based on timestamp column ${t.column ?? '(n/a)'}`);
  }
}
