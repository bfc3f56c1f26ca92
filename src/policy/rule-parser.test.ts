import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../common/errors.js';
import type { RuleNode } from './rule-node.js';
import { parseRule } from './rule-parser.js';

const role = (name: string): RuleNode => ({ kind: 'role', role: [{ type: 'text', text: name }] });
const projectMatch: RuleNode = {
  kind: 'generic',
  left: { type: 'credential', path: 'project_id' },
  match: [{ type: 'target', key: 'project_id' }],
};

describe('parseRule', () => {
  it('treats the empty rule and @ as always allow, ! as always deny', () => {
    assert.deepEqual(parseRule(''), { kind: 'true' });
    assert.deepEqual(parseRule('   '), { kind: 'true' });
    assert.deepEqual(parseRule('@'), { kind: 'true' });
    assert.deepEqual(parseRule('!'), { kind: 'false' });
  });

  it('parses role, rule and generic target checks', () => {
    assert.deepEqual(parseRule('role:admin'), role('admin'));
    assert.deepEqual(parseRule('rule:os_compute_api:servers:index'), {
      kind: 'rule',
      name: 'os_compute_api:servers:index',
    });
    assert.deepEqual(parseRule('project_id:%(project_id)s'), projectMatch);
    assert.deepEqual(parseRule('is_admin:True'), {
      kind: 'generic',
      left: { type: 'credential', path: 'is_admin' },
      match: [{ type: 'text', text: 'True' }],
    });
  });

  it('parses literals on either side and mixed templates', () => {
    assert.deepEqual(parseRule("name:'a literal: with (parens)'"), {
      kind: 'generic',
      left: { type: 'credential', path: 'name' },
      match: [{ type: 'text', text: 'a literal: with (parens)' }],
    });
    assert.deepEqual(parseRule("'member':%(role.name)s"), {
      kind: 'generic',
      left: { type: 'literal', value: 'member' },
      match: [{ type: 'target', key: 'role.name' }],
    });
    assert.deepEqual(parseRule('True:%(user.enabled)s').kind, 'generic');
    assert.deepEqual(parseRule('name:vm-%(id)s-50%%'), {
      kind: 'generic',
      left: { type: 'credential', path: 'name' },
      match: [
        { type: 'text', text: 'vm-' },
        { type: 'target', key: 'id' },
        { type: 'text', text: '-50%' },
      ],
    });
  });

  it('binds not tighter than and, and tighter than or', () => {
    assert.deepEqual(parseRule('role:a or role:b and role:c'), {
      kind: 'or',
      operands: [role('a'), { kind: 'and', operands: [role('b'), role('c')] }],
    });
    assert.deepEqual(parseRule('role:a and role:b or role:c'), {
      kind: 'or',
      operands: [{ kind: 'and', operands: [role('a'), role('b')] }, role('c')],
    });
    assert.deepEqual(parseRule('not role:a and role:b'), {
      kind: 'and',
      operands: [{ kind: 'not', operand: role('a') }, role('b')],
    });
    assert.deepEqual(parseRule('not not role:a'), {
      kind: 'not',
      operand: { kind: 'not', operand: role('a') },
    });
  });

  it('honours parentheses, including next to %(key)s and without spaces', () => {
    assert.deepEqual(parseRule('(role:a or role:b) and role:c'), {
      kind: 'and',
      operands: [{ kind: 'or', operands: [role('a'), role('b')] }, role('c')],
    });
    assert.deepEqual(parseRule('((project_id:%(project_id)s))'), projectMatch);
    assert.deepEqual(parseRule('not(role:a)'), { kind: 'not', operand: role('a') });
  });

  it('accepts keywords in any case', () => {
    assert.deepEqual(parseRule('role:a AND NOT role:b'), {
      kind: 'and',
      operands: [role('a'), { kind: 'not', operand: role('b') }],
    });
  });

  for (const bad of [
    'role:a and',
    'or role:a',
    'role:a or or role:b',
    '(role:a',
    'role:a)',
    '()',
    'not',
    'role:a role:b',
    'admin',
    'role:',
    ':admin',
    'rule:',
    'project_id:%(project_id',
    'project_id:%(project_id)d',
    'project_id:%()s',
    'project_id:50%',
    "name:'unterminated",
    "name:'quoted'tail",
  ]) {
    it(`rejects malformed rule ${JSON.stringify(bad)} naming it`, () => {
      assert.throws(
        () => parseRule(bad),
        (err: unknown) =>
          err instanceof BadRequestError &&
          err.code === 'policy.invalid_rule' &&
          err.message.includes(`"${bad}"`),
      );
    });
  }
});
