import { parseArgs } from 'node:util';
import { BadRequestError } from '../common/errors.js';
import type { ConfigOverrides } from '../config/index.js';

/** The flags of `db archive` and `db purge` (nova-manage's, with dashes). */
export interface DbMaintenanceFlags {
  maxRows: string | undefined;
  before: string | undefined;
  allCells: boolean;
  cell: string | undefined;
  verbose: boolean;
  untilComplete: boolean;
  purge: boolean;
  all: boolean;
}

/** The flags of `audit`. */
export interface AuditFlags {
  fix: boolean;
  verbose: boolean;
}

export interface CliOptions {
  command: string[];
  configFile: string | undefined;
  overrides: ConfigOverrides;
  db: DbMaintenanceFlags;
  audit: AuditFlags;
}

const USAGE = `Usage: tessera [up | db sync | db archive | db purge | audit] [--config FILE] [--port N] [--data-dir DIR] [--listen ADDR]

  up          bring up the all-in-one cloud (default)
  db sync     create or upgrade the API and cell databases
  db archive  move deleted rows to the shadow tables
              [--max-rows N] [--before DATE] [--all-cells | --cell NAME] [--verbose] [--until-complete] [--purge]
  db purge    delete archived rows from the shadow tables
              [--before DATE | --all] [--all-cells | --cell NAME] [--verbose]
  audit       find what failed or interrupted flows left behind (allocations, instance rows,
              mappings, migrations, volume attachments, ports, port bindings, move snapshots)
              [--fix] [--verbose]; exits 0 when clean or all fixed, 3 when something is left

Environment: TESSERA_PORT, TESSERA_DATA_DIR, TESSERA_CONFIG.`;

const DB_FLAG_NAMES = ['max-rows', 'before', 'all-cells', 'cell', 'verbose', 'until-complete', 'purge', 'all'] as const;

/** Reads the command line and the TESSERA_* environment; flags win over the environment. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | { help: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        'max-rows': { type: 'string' },
        before: { type: 'string' },
        'all-cells': { type: 'boolean' },
        cell: { type: 'string' },
        verbose: { type: 'boolean' },
        'until-complete': { type: 'boolean' },
        purge: { type: 'boolean' },
        all: { type: 'boolean' },
        fix: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new BadRequestError('cli.bad_arguments', `${(err as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help === true) return { help: USAGE };
  const overrides: Record<string, Record<string, string>> = {};
  const set = (section: string, option: string, value: string | undefined): void => {
    if (value === undefined || value === '') return;
    overrides[section] = { ...(overrides[section] ?? {}), [option]: value };
  };
  set('api', 'port', parsed.values.port ?? env['TESSERA_PORT']);
  set('api', 'listen', parsed.values.listen ?? env['TESSERA_LISTEN']);
  set('DEFAULT', 'state_path', parsed.values['data-dir'] ?? env['TESSERA_DATA_DIR']);
  const command = parsed.positionals.length === 0 ? ['up'] : parsed.positionals;
  const v = parsed.values;
  const db: DbMaintenanceFlags = {
    maxRows: v['max-rows'], before: v.before, allCells: v['all-cells'] === true, cell: v.cell, verbose: v.verbose === true,
    untilComplete: v['until-complete'] === true, purge: v.purge === true, all: v.all === true,
  };
  const maintenance = command[0] === 'db' && (command[1] === 'archive' || command[1] === 'purge');
  const auditing = command[0] === 'audit';
  const given = DB_FLAG_NAMES.filter((name) => v[name] !== undefined && !(auditing && name === 'verbose'));
  if (!maintenance && given.length > 0) throw new BadRequestError('cli.bad_arguments', `--${given.join(', --')}: only for db archive and db purge${given.includes('verbose') ? ' (--verbose: also audit)' : ''}\n\n${USAGE}`);
  if (!auditing && v.fix !== undefined) throw new BadRequestError('cli.bad_arguments', `--fix: only for audit\n\n${USAGE}`);
  const audit: AuditFlags = { fix: v.fix === true, verbose: v.verbose === true };
  return { command, configFile: parsed.values.config ?? env['TESSERA_CONFIG'], overrides, db, audit };
}
