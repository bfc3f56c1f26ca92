import { parseArgs } from 'node:util';
import { BadRequestError } from '../common/errors.js';
import type { ConfigOverrides } from '../config/index.js';

export interface CliOptions {
  command: string[];
  configFile: string | undefined;
  overrides: ConfigOverrides;
}

const USAGE = `Usage: tessera [up | db sync] [--config FILE] [--port N] [--data-dir DIR] [--listen ADDR]

  up        bring up the all-in-one cloud (default)
  db sync   create or upgrade the API and cell databases

Environment: TESSERA_PORT, TESSERA_DATA_DIR, TESSERA_CONFIG.`;

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
  return { command, configFile: parsed.values.config ?? env['TESSERA_CONFIG'], overrides };
}
