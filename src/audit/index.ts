// The audit module's boundary: the command line and the composition roots import from here only.
export type { AuditCheck, AuditFinding } from './audit-check.js';
export type { AuditDeps } from './audit-deps.js';
export { formatAuditResult } from './format-audit-result.js';
export { auditChecks, auditLeftSomething, runAudit, type AuditOutcome, type AuditResult } from './run-audit.js';
