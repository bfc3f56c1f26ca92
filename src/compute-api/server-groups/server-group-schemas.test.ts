import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileValidator } from '../../api/validation/validator.js';
import { BadRequestError } from '../../common/errors.js';
import { createServerGroupBody, serverGroupListQuery } from './server-group-schemas.js';

describe('server group request schemas', () => {
  const at = (minor: number) => compileValidator(createServerGroupBody(minor), 'body');

  it('takes exactly one policy in a list below 2.64, the soft ones from 2.15', () => {
    at(1)({ server_group: { name: 'g', policies: ['affinity'] } });
    assert.throws(() => at(14)({ server_group: { name: 'g', policies: ['soft-affinity'] } }), BadRequestError);
    at(15)({ server_group: { name: 'g', policies: ['soft-affinity'] } });
    for (const policies of [[], ['affinity', 'anti-affinity'], ['legacy'], 'affinity']) {
      assert.throws(() => at(1)({ server_group: { name: 'g', policies } }), BadRequestError, JSON.stringify(policies));
    }
    assert.throws(() => at(63)({ server_group: { name: 'g', policy: 'affinity' } }), BadRequestError);
  });

  it('takes policy and rules from 2.64', () => {
    at(64)({ server_group: { name: 'g', policy: 'soft-anti-affinity' } });
    at(64)({ server_group: { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 3 } } });
    at(64)({ server_group: { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: '3' } } });
    for (const group of [
      { name: 'g', policies: ['affinity'] },
      { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 0 } },
      { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 'two' } },
      { name: 'g', policy: 'anti-affinity', rules: { spread: 1 } },
      { policy: 'affinity' },
    ]) {
      assert.throws(() => at(64)({ server_group: group }), BadRequestError, JSON.stringify(group));
    }
  });

  it('pages the list with non-negative limit and offset, and refuses other parameters from 2.75', () => {
    const loose = compileValidator(serverGroupListQuery(false), 'query');
    const strict = compileValidator(serverGroupListQuery(true), 'query');
    loose({ limit: '0', offset: '10', all_projects: '', other: 'x' });
    assert.throws(() => loose({ limit: '-1' }), BadRequestError);
    assert.throws(() => loose({ offset: 'a' }), BadRequestError);
    assert.throws(() => strict({ other: 'x' }), BadRequestError);
  });
});
