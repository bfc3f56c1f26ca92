import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../common/logger.js';
import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { formatAuditResult } from './format-audit-result.js';
import { auditLeftSomething, runAudit } from './run-audit.js';

const finding = (over: Partial<AuditFinding> = {}): AuditFinding => ({
  kind: 'leaked_allocation', ids: { consumer: 'c-1', providers: 'rp-1' }, cell: 'cell1', reason: 'nothing owns it', remedy: 'delete the consumer\'s allocations', fixable: true, ...over,
});

function checkOf(findings: AuditFinding[], fix: (f: AuditFinding) => Promise<void> = () => Promise.resolve()): AuditCheck & { fixed: AuditFinding[] } {
  const fixed: AuditFinding[] = [];
  return { name: 'fake', fixed, find: () => Promise.resolve(findings), fix: async (f) => { await fix(f); fixed.push(f); } };
}

const deps = { logger: silentLogger(), requestId: 'req-1' } as AuditDeps;

describe('runAudit', () => {
  it('only reports without fix; fixes what it can with fix, and says what it could not', async () => {
    const unfixable = finding({ kind: 'mapping_wrong_cell', ids: { instance: 'i-1' }, fixable: false, remedy: 'none: several cells show it, choose by hand' });
    const failing = finding({ ids: { consumer: 'c-2', providers: '' } });
    const check = checkOf([finding(), unfixable, failing], (f) => (f === failing ? Promise.reject(new Error('placement down')) : Promise.resolve()));
    const reported = await runAudit(deps, { fix: false, checks: [check] });
    assert.deepEqual(reported.map((r) => r.outcome), ['found', 'found', 'found']);
    assert.equal(check.fixed.length, 0);
    assert.equal(auditLeftSomething(reported), true);
    assert.equal(formatAuditResult(reported[0]!), 'leaked_allocation consumer=c-1 providers=rp-1 cell=cell1: nothing owns it -> --fix would delete the consumer\'s allocations');
    assert.equal(formatAuditResult(reported[1]!), 'mapping_wrong_cell instance=i-1 cell=cell1: nothing owns it -> --fix cannot: none: several cells show it, choose by hand');

    const fixed = await runAudit(deps, { fix: true, checks: [check] });
    assert.deepEqual(fixed.map((r) => r.outcome), ['fixed', 'not_fixable', 'fix_failed']);
    assert.equal(formatAuditResult(fixed[0]!), 'leaked_allocation consumer=c-1 providers=rp-1 cell=cell1: nothing owns it -> fixed: delete the consumer\'s allocations');
    assert.equal(formatAuditResult(fixed[2]!), 'leaked_allocation consumer=c-2 cell=cell1: nothing owns it -> fix failed (placement down): delete the consumer\'s allocations');
    assert.equal(auditLeftSomething(fixed), true);
    assert.equal(auditLeftSomething(await runAudit(deps, { fix: true, checks: [checkOf([finding()])] })), false, 'all fixed');
    assert.equal(auditLeftSomething(await runAudit(deps, { fix: false, checks: [checkOf([])] })), false, 'nothing found');
  });
});
