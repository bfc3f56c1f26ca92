import type { AuditResult } from './run-audit.js';

/**
 * One line per finding: kind, ids, cell and host, why, and what `--fix` did or would do.
 *
 * @example
 * formatAuditResult(r); // "leaked_allocation consumer=5f0c… providers=9a1b… cell=cell1: instance has no … -> would delete the consumer's allocations"
 */
export function formatAuditResult(r: AuditResult): string {
  const { finding } = r;
  const ids = Object.entries(finding.ids).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`);
  const where = [...(finding.cell === undefined ? [] : [`cell=${finding.cell}`]), ...(finding.host === undefined ? [] : [`host=${finding.host}`])];
  const done =
    r.outcome === 'fixed' ? `fixed: ${finding.remedy}`
      : r.outcome === 'fix_failed' ? `fix failed (${r.error ?? 'unknown error'}): ${finding.remedy}`
        : r.outcome === 'not_fixable' ? `not fixed: ${finding.remedy}`
          : finding.fixable ? `--fix would ${finding.remedy}` : `--fix cannot: ${finding.remedy}`;
  return `${[finding.kind, ...ids, ...where].join(' ')}: ${finding.reason} -> ${done}`;
}
