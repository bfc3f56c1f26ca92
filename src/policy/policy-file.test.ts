import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TesseraError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import { PolicyEngine } from './policy-engine.js';
import { allRuleDefaults } from './rules/index.js';

// Loading policy files goes through the engine, which is what names the file and rule in errors.

function ctx(roles: string[], projectId = 'project-a'): RequestContext {
  return { requestId: 'req-1', userId: 'user-1', projectId, roles, isAdmin: false };
}
const A = { project_id: 'project-a' };
const B = { project_id: 'project-b' };

function rejectsWith(code: string, ...fragments: string[]) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TesseraError, `expected a TesseraError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), err.message);
    return true;
  };
}

describe('PolicyEngine policy file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-policy-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fileWith(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    return path;
  }

  it('overrides defaults, accepts unknown names, and lets explicit overrides win', async () => {
    const policyFile = await fileWith(
      'ok.yaml',
      [
        '"context_is_admin": "role:admin or role:auditor"',
        '"os_compute_api:servers:create": "rule:custom_creators"',
        '"custom_creators": "role:builder and project_id:%(project_id)s"',
        '"os_compute_api:servers:delete": "!"',
      ].join('\n'),
    );
    const policy = await PolicyEngine.create({
      defaults: allRuleDefaults(),
      policyFile,
      overrides: { 'os_compute_api:servers:delete': 'role:admin' },
    });
    assert.equal(policy.isAdmin(['auditor']), true);
    assert.equal(policy.check('os_compute_api:servers:create', ctx(['builder']), A), true);
    assert.equal(policy.check('os_compute_api:servers:create', ctx(['member']), A), false);
    assert.equal(policy.check('os_compute_api:servers:delete', ctx(['admin']), B), true);
    assert.throws(() => policy.check('custom_creators', ctx([]), {}), /not registered/);
  });

  it('accepts an empty file', async () => {
    const policyFile = await fileWith('empty.yaml', '# nothing overridden\n');
    const policy = await PolicyEngine.create({ defaults: allRuleDefaults(), policyFile });
    assert.equal(policy.isAdmin(['admin']), true);
  });

  it('rejects a malformed rule, naming the file and the rule', async () => {
    const text = '"os_compute_api:servers:show": "role:a and"\n';
    const policyFile = await fileWith('bad-rule.yaml', text);
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile }),
      rejectsWith('policy.invalid_rule', policyFile, 'os_compute_api:servers:show', 'role:a and'),
    );
  });

  it('rejects a file that is not a mapping of strings', async () => {
    const list = await fileWith('list.yaml', '- role:admin\n');
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile: list }),
      rejectsWith('policy.invalid_file', list),
    );
    const nested = await fileWith('nested.yaml', 'admin_api:\n  - ["role:admin"]\n');
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile: nested }),
      rejectsWith('policy.invalid_file', nested, 'admin_api'),
    );
    const broken = await fileWith('broken.yaml', 'admin_api: "unclosed\n');
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile: broken }),
      rejectsWith('policy.invalid_file', broken),
    );
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile: join(dir, 'missing.yaml') }),
      rejectsWith('policy.invalid_file', 'missing.yaml'),
    );
  });

  it('rejects a cycle introduced by the file', async () => {
    const text = 'context_is_admin: "rule:project_member_or_admin"\n';
    const policyFile = await fileWith('cycle.yaml', text);
    await assert.rejects(
      PolicyEngine.create({ defaults: allRuleDefaults(), policyFile }),
      rejectsWith('policy.rule_cycle', policyFile, 'context_is_admin'),
    );
  });
});
