import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ForbiddenError, TesseraError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import { PolicyEngine } from './policy-engine.js';
import type { RuleDefault } from './rule-default.js';
import { allRuleDefaults } from './rules/index.js';

function ctx(roles: string[], projectId = 'project-a', userId = 'user-1'): RequestContext {
  return { requestId: 'req-1', userId, projectId, roles, isAdmin: roles.includes('admin') };
}

const def = (name: string, checkStr: string): RuleDefault => ({
  name,
  checkStr,
  description: name,
});
const A = { project_id: 'project-a' };
const B = { project_id: 'project-b' };

async function engineWith(rules: Record<string, string>): Promise<PolicyEngine> {
  return PolicyEngine.create({ defaults: Object.entries(rules).map(([n, c]) => def(n, c)) });
}

function rejectsWith(code: string, ...fragments: string[]) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TesseraError, `expected a TesseraError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const fragment of fragments) assert.match(err.message, new RegExp(escape(fragment)));
    return true;
  };
}
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('PolicyEngine evaluation', () => {
  it('applies not > and > or precedence and parentheses', async () => {
    const policy = await engineWith({
      loose: 'role:x or role:y and role:z',
      grouped: '(role:x or role:y) and role:z',
      negated: 'not role:x and role:y',
    });
    assert.equal(policy.check('loose', ctx(['x']), {}), true);
    assert.equal(policy.check('grouped', ctx(['x']), {}), false);
    assert.equal(policy.check('grouped', ctx(['x', 'z']), {}), true);
    assert.equal(policy.check('negated', ctx(['y']), {}), true);
    assert.equal(policy.check('negated', ctx(['x', 'y']), {}), false);
  });

  it('allows everyone with @ and the empty rule, nobody with !', async () => {
    const policy = await engineWith({ open: '@', empty: '', closed: '!' });
    assert.equal(policy.check('open', ctx([]), {}), true);
    assert.equal(policy.check('empty', ctx([]), {}), true);
    assert.equal(policy.check('closed', ctx(['admin']), {}), false);
  });

  it('matches roles case-insensitively and through implied roles', async () => {
    const policy = await engineWith({ reader: 'role:Reader', member: 'role:member' });
    assert.equal(policy.check('reader', ctx(['READER']), {}), true);
    assert.equal(policy.check('reader', ctx(['member']), {}), true);
    assert.equal(policy.check('reader', ctx(['Admin']), {}), true);
    assert.equal(policy.check('member', ctx(['admin']), {}), true);
    assert.equal(policy.check('member', ctx(['reader']), {}), false);
    assert.equal(policy.check('reader', ctx(['observer']), {}), false);
  });

  it('compares credentials with target values and literals', async () => {
    const policy = await engineWith({
      own: 'user_id:%(user_id)s',
      literal: "project_name:'Demo Project'",
      leftLiteral: "'gold':%(tier)s",
    });
    assert.equal(policy.check('own', ctx([]), { user_id: 'user-1' }), true);
    assert.equal(policy.check('own', ctx([]), { user_id: 'user-2' }), false);
    assert.equal(policy.check('own', ctx([]), {}), false, 'a missing target key denies');
    const named = { ...ctx([]), projectName: 'Demo Project' };
    assert.equal(policy.check('literal', named, {}), true);
    assert.equal(policy.check('leftLiteral', ctx([]), { tier: 'gold' }), true);
    assert.equal(policy.check('leftLiteral', ctx([]), { tier: 'silver' }), false);
  });

  it('follows rule references, and an unknown reference denies', async () => {
    const policy = await engineWith({ base: 'role:a', uses: 'rule:base', dangling: 'rule:nope' });
    assert.equal(policy.check('uses', ctx(['a']), {}), true);
    assert.equal(policy.check('uses', ctx(['b']), {}), false);
    assert.equal(policy.check('dangling', ctx(['admin']), {}), false);
    assert.equal(
      (await engineWith({ x: 'not rule:nope' })).check('x', ctx([]), {}),
      true,
      'an unknown reference is simply false, so its negation is true',
    );
  });

  it('rejects reference cycles at create', async () => {
    await assert.rejects(
      engineWith({ a: 'rule:b or role:x', b: 'not rule:c', c: 'rule:a' }),
      rejectsWith('policy.rule_cycle', 'a -> b -> c -> a'),
    );
    await assert.rejects(engineWith({ self: 'rule:self' }), rejectsWith('policy.rule_cycle'));
  });

  it('throws an internal error for an unregistered rule', async () => {
    const policy = await engineWith({ known: '@' });
    for (const call of [
      () => policy.check('os_compute_api:servers:typo', ctx(['admin']), {}),
      () => policy.authorize('os_compute_api:servers:typo', ctx(['admin']), {}),
    ]) {
      assert.throws(call, (err: unknown) => {
        assert.ok(err instanceof TesseraError && !(err instanceof ForbiddenError));
        assert.equal(err.code, 'policy.unregistered_rule');
        assert.equal(err.status, 500);
        return true;
      });
    }
  });
});

describe('PolicyEngine with the Tessera defaults', () => {
  let policy: PolicyEngine;
  before(async () => {
    policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
  });

  it('lets a project member act on its own project only', () => {
    const member = ctx(['member']);
    policy.authorize('os_compute_api:servers:delete', member, A);
    assert.throws(
      () => policy.authorize('os_compute_api:servers:delete', member, B),
      ForbiddenError,
    );
    assert.equal(policy.check('os_compute_api:servers:show', ctx(['reader']), A), true);
    assert.equal(policy.check('os_compute_api:servers:show', ctx(['reader']), B), false);
    assert.equal(policy.check('os_compute_api:servers:create', ctx(['reader']), A), false);
  });

  it('lets an admin act across projects', () => {
    const admin = ctx(['admin'], 'admin-project');
    policy.authorize('os_compute_api:servers:delete', admin, B);
    policy.authorize('os_compute_api:servers:index:get_all_tenants', admin, {});
    assert.equal(policy.check('os_compute_api:os-services:list', ctx(['member']), {}), false);
  });

  it('keeps cross-cell resize off for everyone by default', () => {
    assert.equal(policy.check('compute:servers:resize:cross_cell', ctx(['admin']), A), false);
  });

  it('throws Nova\'s exact Forbidden message', () => {
    assert.throws(
      () => policy.authorize('os_compute_api:servers:index:get_all_tenants', ctx(['member']), A),
      (err: unknown) => {
        assert.ok(err instanceof ForbiddenError);
        assert.equal(err.code, 'policy.forbidden');
        assert.equal(err.status, 403);
        assert.equal(
          err.message,
          "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.",
        );
        return true;
      },
    );
  });

  it('derives isAdmin from context_is_admin', () => {
    assert.equal(policy.isAdmin(['ADMIN']), true);
    assert.equal(policy.isAdmin(['member', 'reader']), false);
  });
});
