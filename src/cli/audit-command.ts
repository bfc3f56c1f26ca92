import { randomUUID } from 'node:crypto';
import { auditChecks, auditLeftSomething, formatAuditResult, runAudit, type AuditResult } from '../audit/index.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { openAuditDeps, type OpenAuditDeps } from '../services/open-audit-deps.js';
import type { AuditFlags } from './cli-options.js';

/** `tessera audit`'s exit codes. */
export const AUDIT_EXIT = {
  /** Nothing was found, or everything found was fixed. */
  CLEAN: 0,
  /** A database or service could not be read (nothing was changed by this run after that). */
  ERROR: 1,
  /** Something was found and is still there: run with --fix, or fix by hand what --fix cannot. */
  FOUND: 3,
} as const;

/**
 * `tessera audit [--fix] [--verbose]`: prints one line per finding (kind, ids, cell/host, why, and
 * what --fix did or would do) and a summary; with --verbose, also each check and its count.
 */
export async function runAuditCommand(config: Config, logger: Logger, flags: AuditFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const say = (line: string): void => void out.write(`${line}\n`);
  const requestId = `req-audit-${randomUUID()}`;
  let opened: OpenAuditDeps;
  try {
    opened = await openAuditDeps(config, logger, requestId);
  } catch (err) {
    logger.error({ err, request_id: requestId }, 'audit could not open the databases');
    say(`Failed to open the databases: ${(err as Error).message} (check the configuration and run tessera db sync)`);
    return AUDIT_EXIT.ERROR;
  }
  let results: AuditResult[];
  try {
    const checks = auditChecks(opened.deps);
    results = [];
    for (const check of checks) {
      const found = await runAudit(opened.deps, { fix: flags.fix, checks: [check] });
      if (flags.verbose) say(`${check.name}: ${found.length === 0 ? 'nothing found' : `${found.length} found`}`);
      for (const r of found) say(formatAuditResult(r));
      results.push(...found);
    }
  } catch (err) {
    logger.error({ err, request_id: requestId }, 'audit failed');
    say(`Audit failed: ${(err as Error).message}`);
    return AUDIT_EXIT.ERROR;
  } finally {
    await opened.close();
  }
  const fixed = results.filter((r) => r.outcome === 'fixed').length;
  if (results.length === 0) say('Nothing found.');
  else say(`${results.length} found${flags.fix ? `, ${fixed} fixed` : ''}.`);
  return auditLeftSomething(results) ? AUDIT_EXIT.FOUND : AUDIT_EXIT.CLEAN;
}
