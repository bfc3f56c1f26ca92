import { resolve } from 'node:path';
import { TesseraError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { loadConfig, type Config } from '../config/index.js';
import { runAuditCommand } from './audit-command.js';
import { parseCli } from './cli-options.js';
import { runDbArchive } from './db-archive-command.js';
import { runDbPurge } from './db-purge-command.js';
import { runDbSync } from './db-sync-command.js';
import { runUp } from './up-command.js';

/** The `tessera` command. */
async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2), process.env);
  if ('help' in cli) {
    process.stdout.write(`${cli.help}\n`);
    return 0;
  }
  const config: Config = await loadConfig({ ...(cli.configFile === undefined ? {} : { file: resolve(cli.configFile) }), overrides: cli.overrides });
  const logger = createLogger({ level: config.DEFAULT.debug ? 'debug' : 'info', destination: config.DEFAULT.log_file === '' ? resolve(config.DEFAULT.state_path, 'tessera.log') : config.DEFAULT.log_file });
  const [command, sub] = cli.command;
  if (command === 'up') return runUp(config, logger);
  if (command === 'db' && sub === 'sync') return runDbSync(config, logger);
  if (command === 'db' && sub === 'archive') return runDbArchive(config, logger, cli.db);
  if (command === 'db' && sub === 'purge') return runDbPurge(config, logger, cli.db);
  if (command === 'audit' && sub === undefined) return runAuditCommand(config, logger, cli.audit);
  process.stderr.write(`tessera: unknown command "${cli.command.join(' ')}"; see tessera --help\n`);
  return 2;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof TesseraError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`tessera: ${message}\n`);
    process.exitCode = 1;
  },
);
