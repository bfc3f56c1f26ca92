import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { BadRequestError, NotAcceptableError } from '../common/errors.js';
import { atLeast, MAX_MICROVERSION, MIN_MICROVERSION, negotiateMicroversion, parseVersion, type Microversion } from './microversion.js';

/** Fastify lower-cases header names; the fake does the same. */
function negotiate(headers: Record<string, string | string[]>): Microversion {
  const request = { headers } as unknown as FastifyRequest;
  return negotiateMicroversion(request);
}

function mv(text: string): Microversion {
  const v = parseVersion(text);
  assert.ok(v, text);
  return v;
}

function assertBadRequest(headers: Record<string, string | string[]>, message?: RegExp): void {
  assert.throws(() => negotiate(headers), (err: unknown) => {
    assert.ok(err instanceof BadRequestError, `expected BadRequestError for ${JSON.stringify(headers)}, got ${String(err)}`);
    assert.equal(err.status, 400);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

function assertNotAcceptable(headers: Record<string, string | string[]>, message?: RegExp): void {
  assert.throws(() => negotiate(headers), (err: unknown) => {
    assert.ok(err instanceof NotAcceptableError, `expected NotAcceptableError for ${JSON.stringify(headers)}, got ${String(err)}`);
    assert.equal(err.status, 406);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

describe('parseVersion', () => {
  it('parses major.minor', () => {
    assert.deepEqual(parseVersion('2.37'), { major: 2, minor: 37, text: '2.37' });
    assert.deepEqual(parseVersion(' 2.1 '), { major: 2, minor: 1, text: '2.1' });
  });

  it('refuses anything that is not two dotted integers', () => {
    for (const bad of ['', '2', '2.', '.1', '2.x', 'abc', '2.1.3', 'v2.1', '-2.1', '2.-1', 'latest']) {
      assert.equal(parseVersion(bad), undefined, bad);
    }
  });
});

describe('atLeast', () => {
  it('compares minors numerically, not as text', () => {
    assert.equal(atLeast(mv('2.10'), '2.9'), true);
    assert.equal(atLeast(mv('2.9'), '2.10'), false);
    assert.equal(atLeast(mv('2.47'), '2.47'), true);
    assert.equal(atLeast(mv('2.46'), '2.47'), false);
  });

  it('a higher major wins whatever the minor', () => {
    assert.equal(atLeast(mv('3.0'), '2.96'), true);
    assert.equal(atLeast(mv('1.99'), '2.1'), false);
  });
});

describe('negotiateMicroversion', () => {
  it('uses 2.1 when no header is sent', () => {
    assert.equal(negotiate({}).text, MIN_MICROVERSION);
    assert.equal(negotiate({ accept: 'application/json' }).text, '2.1');
  });

  it('reads the OpenStack-API-Version header', () => {
    assert.equal(negotiate({ 'openstack-api-version': 'compute 2.37' }).text, '2.37');
  });

  it('takes the service name case-insensitively', () => {
    assert.equal(negotiate({ 'openstack-api-version': 'Compute 2.37' }).text, '2.37');
  });

  it('prefers the new header over the legacy one', () => {
    const got = negotiate({ 'openstack-api-version': 'compute 2.37', 'x-openstack-nova-api-version': '2.10' });
    assert.deepEqual(got, { major: 2, minor: 37, text: '2.37' });
  });

  it('reads the legacy header alone', () => {
    assert.equal(negotiate({ 'x-openstack-nova-api-version': '2.10' }).text, '2.10');
  });

  it('falls back to the legacy header when the new one names only other services', () => {
    assert.equal(negotiate({ 'openstack-api-version': 'placement 1.2', 'x-openstack-nova-api-version': '2.12' }).text, '2.12');
    assert.equal(negotiate({ 'openstack-api-version': 'placement 1.2' }).text, '2.1');
  });

  it('finds compute among several services in the new header', () => {
    assert.equal(negotiate({ 'openstack-api-version': 'placement 1.2, compute 2.60' }).text, '2.60');
    assert.equal(negotiate({ 'openstack-api-version': 'compute 2.61,placement 1.2' }).text, '2.61');
  });

  it('accepts the new header repeated (an array of values)', () => {
    assert.equal(negotiate({ 'openstack-api-version': ['placement 1.2', 'compute 2.53'] }).text, '2.53');
  });

  it('maps latest to the maximum, on either header', () => {
    assert.equal(negotiate({ 'openstack-api-version': 'compute latest' }).text, MAX_MICROVERSION);
    assert.equal(negotiate({ 'x-openstack-nova-api-version': 'latest' }).text, MAX_MICROVERSION);
  });

  it('accepts the minimum and the maximum themselves', () => {
    assert.equal(negotiate({ 'openstack-api-version': `compute ${MIN_MICROVERSION}` }).text, MIN_MICROVERSION);
    assert.equal(negotiate({ 'openstack-api-version': `compute ${MAX_MICROVERSION}` }).text, MAX_MICROVERSION);
  });

  it('refuses versions out of range with 406', () => {
    const max = mv(MAX_MICROVERSION);
    const aboveMax = `${max.major}.${max.minor + 1}`;
    for (const v of [aboveMax, '2.200', '3.0', '2.0', '1.0', '1.99']) {
      assertNotAcceptable({ 'openstack-api-version': `compute ${v}` }, /not supported/);
    }
    assertNotAcceptable({ 'x-openstack-nova-api-version': aboveMax }, /Minimum is 2\.1 and maximum is/);
  });

  it('refuses malformed versions with 400, as Nova does', () => {
    for (const v of ['abc', '2', '2.x', '2.1.1']) {
      assertBadRequest({ 'openstack-api-version': `compute ${v}` }, /is of invalid format/);
    }
    assertBadRequest({ 'x-openstack-nova-api-version': 'abc' }, /API Version String abc is of invalid format/);
  });

  it('refuses leading zeros, which Nova\'s version regex ^([1-9]\\d*)\\.([1-9]\\d*|0)$ does not match', () => {
    for (const v of ['2.01', '02.1', '2.096']) {
      assertBadRequest({ 'openstack-api-version': `compute ${v}` });
    }
  });
});
