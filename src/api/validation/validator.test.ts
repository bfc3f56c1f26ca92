import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { BadRequestError } from '../../common/errors.js';
import { compileValidator } from './validator.js';

const Body = Type.Object(
  {
    server: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 10 }),
        imageRef: Type.Optional(Type.String({ format: 'uuid' })),
        count: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
        kind: Type.Optional(Type.Union([Type.Literal('a'), Type.Literal('b')])),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Query = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 0 })),
    all_tenants: Type.Optional(Type.Boolean()),
    sort_key: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

const validateBody = compileValidator(Body, 'body');
const validateQuery = compileValidator(Query, 'query');

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BadRequestError, `expected BadRequestError, got ${String(err)}`);
    assert.equal(err.code, 'api.invalid_input');
    assert.equal(err.status, 400);
    return err.message;
  }
  assert.fail('expected a validation error');
}

describe('compileValidator (body)', () => {
  it('returns a valid body as it is', () => {
    const body = { server: { name: 'vm1', count: 2 } };
    assert.equal(validateBody(body), body);
  });

  it('does not coerce types in a body', () => {
    const msg = messageOf(() => validateBody({ server: { name: 'vm1', count: '2' } }));
    assert.equal(msg, "Invalid input for field/attribute count. Value: 2. '2' is not of type 'integer'");
  });

  it('names the unexpected field for additionalProperties', () => {
    const msg = messageOf(() => validateBody({ server: { name: 'vm1', flavour: 'x' } }));
    assert.match(msg, /Additional properties are not allowed \('flavour' was unexpected\)/);
  });

  it('says "is too long" and names the field for maxLength', () => {
    const msg = messageOf(() => validateBody({ server: { name: 'x'.repeat(11) } }));
    assert.equal(msg, `Invalid input for field/attribute name. Value: ${'x'.repeat(11)}. '${'x'.repeat(11)}' is too long`);
  });

  it('says "is too short" for minLength', () => {
    assert.match(messageOf(() => validateBody({ server: { name: '' } })), /field\/attribute name\. Value: \. '' is too short$/);
  });

  it('reports a missing required property', () => {
    assert.equal(messageOf(() => validateBody({ server: {} })), "'name' is a required property");
    assert.equal(messageOf(() => validateBody({})), "'server' is a required property");
  });

  it('reports wrong types with JSON values', () => {
    assert.equal(messageOf(() => validateBody({ server: { name: 42 } })), "Invalid input for field/attribute name. Value: 42. 42 is not of type 'string'");
  });

  it('reports limits', () => {
    assert.match(messageOf(() => validateBody({ server: { name: 'a', count: 9 } })), /field\/attribute count\. Value: 9\. 9 is greater than the maximum of 5/);
    assert.match(messageOf(() => validateBody({ server: { name: 'a', count: 0 } })), /0 is less than the minimum of 1/);
  });

  it('accepts a uuid with or without dashes, in either case', () => {
    for (const uuid of ['6f5b7d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f', '6f5b7d3c1a2b4c3d8e9f0a1b2c3d4e5f', '6F5B7D3C-1A2B-4C3D-8E9F-0A1B2C3D4E5F']) {
      assert.doesNotThrow(() => validateBody({ server: { name: 'a', imageRef: uuid } }), uuid);
    }
  });

  it('refuses a malformed uuid and names the format', () => {
    for (const bad of ['not-a-uuid', '6f5b7d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5', '6f5b7d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5fa', 'zf5b7d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f']) {
      const msg = messageOf(() => validateBody({ server: { name: 'a', imageRef: bad } }));
      assert.equal(msg, `Invalid input for field/attribute imageRef. Value: ${bad}. '${bad}' is not a 'uuid'`);
    }
  });

  it('reports a root that is not an object', () => {
    assert.match(messageOf(() => validateBody('nope')), /^Invalid input for field\/attribute \(root\)\. Value: nope\./);
  });
});

describe('compileValidator (query)', () => {
  it('coerces query strings to the schema types', () => {
    const q = validateQuery({ limit: '5', all_tenants: 'true' });
    assert.deepEqual(q, { limit: 5, all_tenants: true });
  });

  it('wraps a single value into an array where the schema wants one', () => {
    assert.deepEqual(validateQuery({ sort_key: 'name' }), { sort_key: ['name'] });
    assert.deepEqual(validateQuery({ sort_key: ['name', 'id'] }), { sort_key: ['name', 'id'] });
  });

  it('does not change the object it was given', () => {
    const raw = { limit: '5' };
    validateQuery(raw);
    assert.deepEqual(raw, { limit: '5' });
  });

  it('refuses what cannot be coerced, as a query parameter', () => {
    assert.equal(messageOf(() => validateQuery({ limit: 'ten' })), "Invalid input for query parameter limit. Value: ten. 'ten' is not of type 'integer'");
  });

  it('names the unknown parameter and its value', () => {
    assert.equal(
      messageOf(() => validateQuery({ limit: '1', colour: 'blue' })),
      "Invalid input for query parameters colour. Value: blue. Additional properties are not allowed ('colour' was unexpected)",
    );
  });
});
