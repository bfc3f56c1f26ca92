import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { DeadMigrationsCheck } from './dead-migrations-check.js';
import { InstanceRecordsCheck } from './instance-records-check.js';
import { LeakedAllocationsCheck } from './leaked-allocations-check.js';
import { MappingCellCheck } from './mapping-cell-check.js';
import { MoveSnapshotsCheck } from './move-snapshots-check.js';
import { PortBindingsCheck } from './port-bindings-check.js';
import { VolumeAttachmentsCheck } from './volume-attachments-check.js';

/** What became of one finding: only reported, repaired, not repairable, or the repair failed. */
export type AuditOutcome = 'found' | 'fixed' | 'not_fixable' | 'fix_failed';

export interface AuditResult {
  check: string;
  finding: AuditFinding;
  outcome: AuditOutcome;
  /** With `fix_failed`: the error's message. */
  error?: string;
}

/**
 * The checks in the order they run. Database records come first, so that the services' records
 * are judged against repaired ones: a repointed mapping makes its instance's allocation owned
 * again, and a dead migration's allocation goes back to its instance before the allocation
 * check would delete it.
 */
export function auditChecks(deps: AuditDeps): AuditCheck[] {
  return [
    new MappingCellCheck(deps),
    new InstanceRecordsCheck(deps),
    new DeadMigrationsCheck(deps),
    new LeakedAllocationsCheck(deps),
    new VolumeAttachmentsCheck(deps),
    new PortBindingsCheck(deps),
    new MoveSnapshotsCheck(deps),
  ];
}

/**
 * `tessera audit`: runs every check and, with `fix`, repairs each finding it can as soon as its
 * check found it (the next check reads the repaired state). A failed repair is logged and
 * reported, and the audit goes on; a check that cannot read its records throws.
 *
 * @example
 * const results = await runAudit(deps, { fix: false });
 * for (const r of results) out.write(`${formatAuditResult(r)}\n`);
 */
export async function runAudit(deps: AuditDeps, options: { fix: boolean; checks?: AuditCheck[] }): Promise<AuditResult[]> {
  const results: AuditResult[] = [];
  for (const check of options.checks ?? auditChecks(deps)) {
    const findings = await check.find();
    for (const finding of findings) {
      const log = deps.logger.child({ request_id: deps.requestId, check: check.name, kind: finding.kind, ...finding.ids, cell: finding.cell, host: finding.host });
      if (!options.fix) {
        log.info({ reason: finding.reason }, 'audit finding');
        results.push({ check: check.name, finding, outcome: 'found' });
      } else if (!finding.fixable) {
        log.warn({ reason: finding.reason }, 'audit finding that cannot be fixed');
        results.push({ check: check.name, finding, outcome: 'not_fixable' });
      } else {
        try {
          await check.fix(finding);
          log.info({ remedy: finding.remedy }, 'audit finding fixed');
          results.push({ check: check.name, finding, outcome: 'fixed' });
        } catch (err) {
          log.error({ err }, 'audit fix failed');
          results.push({ check: check.name, finding, outcome: 'fix_failed', error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
  }
  return results;
}

/** Whether something was found and is still there: `tessera audit` then exits non-zero. */
export function auditLeftSomething(results: readonly AuditResult[]): boolean {
  return results.some((r) => r.outcome !== 'fixed');
}
