import { BadRequestError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { formatCountsTable } from '../db/archive/format-counts-table.js';
import { parseBeforeDate } from '../db/archive/parse-before-date.js';
import { archiveDatabases } from '../services/archive-databases.js';
import type { DbMaintenanceFlags } from './cli-options.js';
import { apiDatabaseReachable, cellSelectionOf, withDbMaintenance } from './db-maintenance-session.js';
import { printPurged } from './db-purge-command.js';

/** nova-manage db archive_deleted_rows' exit codes. */
export const ARCHIVE_EXIT = {
  /** Nothing was archived: run again only after more deletes. */
  NOTHING: 0,
  /** Some rows were archived (there may be more: automation runs it again while it answers 1). */
  ARCHIVED: 1,
  /** A bad argument: --max-rows not a positive integer (also Tessera's cell choice). */
  BAD_ARGUMENT: 2,
  /** The API database could not be read. */
  NO_API_DATABASE: 3,
  /** --before is not a date. */
  BAD_DATE: 4,
} as const;

const MAX_INT = 2 ** 31 - 1;
const DEFAULT_MAX_ROWS = 1000;

/**
 * `tessera db archive`: Nova's `nova-manage db archive_deleted_rows`, with its options and exit
 * codes; prints the table of rows moved per table with --verbose.
 */
export async function runDbArchive(config: Config, logger: Logger, flags: DbMaintenanceFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const say = (line: string): void => void out.write(`${line}\n`);
  const maxRows = flags.maxRows === undefined ? DEFAULT_MAX_ROWS : Number(flags.maxRows);
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_INT) {
    say(`Must supply a positive integer no larger than ${MAX_INT} for --max-rows`);
    return ARCHIVE_EXIT.BAD_ARGUMENT;
  }
  let before: Date | undefined;
  try {
    before = flags.before === undefined ? undefined : parseBeforeDate(flags.before);
  } catch (err) {
    say((err as Error).message);
    return ARCHIVE_EXIT.BAD_DATE;
  }
  const cells = cellSelectionOf(flags);
  if (cells === undefined) {
    say('--all-cells and --cell exclude each other');
    return ARCHIVE_EXIT.BAD_ARGUMENT;
  }
  return withDbMaintenance(config, logger, async (deps) => {
    if (!(await apiDatabaseReachable(deps))) {
      say('Failed to read the API database, so nothing was archived: check [api_database] connection and run tessera db sync');
      return ARCHIVE_EXIT.NO_API_DATABASE;
    }
    const progress = flags.untilComplete && flags.verbose;
    if (progress) out.write('Archiving..');
    let result;
    try {
      result = await archiveDatabases(deps, {
        cells, maxRows, untilComplete: flags.untilComplete, purge: flags.purge, ...(before === undefined ? {} : { before }),
        ...(progress ? { onPass: () => void out.write('.') } : {}),
      });
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      if (progress) say('.stopped');
      say(err.message);
      return ARCHIVE_EXIT.BAD_ARGUMENT;
    }
    if (progress) say('.complete');
    const { report, purged } = result;
    if (flags.verbose) say(report.tables.size > 0 ? formatCountsTable(report.tables, ['Table', 'Number of Rows Archived']) : 'Nothing was archived.');
    if (purged !== undefined) {
      if (flags.verbose) say('Rows were archived, running purge...');
      printPurged(purged, flags.verbose, say);
    }
    return report.tables.size > 0 ? ARCHIVE_EXIT.ARCHIVED : ARCHIVE_EXIT.NOTHING;
  });
}
