import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boolOpt,
  enumOpt,
  floatOpt,
  intOpt,
  listOpt,
  parseOptionValue,
  stringOpt,
  type ConfigOf,
  type ParseResult,
} from './option-schema.js';

function value<T>(result: ParseResult<T>): T {
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.value;
}

function problem(result: ParseResult<unknown>): string {
  assert.ok(!result.ok, 'expected a parse failure');
  return result.problem;
}

describe('parseOptionValue', () => {
  it('keeps strings as written, empty included', () => {
    assert.equal(value(parseOptionValue(stringOpt('x', 'h'), '')), '');
    assert.equal(value(parseOptionValue(stringOpt('x', 'h'), 'a b')), 'a b');
  });

  it('checks a string pattern', () => {
    const def = stringOpt('inproc://', 'h', { pattern: /^inproc:\/\/$/, patternHelp: '"inproc://"' });
    assert.equal(problem(parseOptionValue(def, 'amqp://x')), 'expected "inproc://", got "amqp://x"');
  });

  it('parses integers and enforces the range', () => {
    const def = intOpt(1, 'h', { min: 0, max: 65535 });
    assert.equal(value(parseOptionValue(def, ' 8080 ')), 8080);
    assert.equal(value(parseOptionValue(def, '0')), 0);
    assert.equal(problem(parseOptionValue(def, 'abc')), 'expected an integer, got "abc"');
    assert.equal(problem(parseOptionValue(def, '')), 'expected an integer, got ""');
    assert.equal(problem(parseOptionValue(def, '1.5')), 'expected an integer, got "1.5"');
    assert.equal(problem(parseOptionValue(def, '-1')), 'must be >= 0, got -1');
    assert.equal(problem(parseOptionValue(def, '65536')), 'must be <= 65535, got 65536');
    assert.equal(value(parseOptionValue(intOpt(1, 'h', { min: -1 }), '-1')), -1);
  });

  it('parses floats with an exclusive minimum', () => {
    const def = floatOpt(16, 'h', { min: 0, minExclusive: true });
    assert.equal(value(parseOptionValue(def, '1.5')), 1.5);
    assert.equal(value(parseOptionValue(def, '2')), 2);
    assert.equal(value(parseOptionValue(def, '1e3')), 1000);
    assert.equal(problem(parseOptionValue(def, '0')), 'must be > 0, got 0');
    assert.equal(problem(parseOptionValue(def, 'x1')), 'expected a number, got "x1"');
    assert.equal(problem(parseOptionValue(def, '')), 'expected a number, got ""');
    assert.equal(value(parseOptionValue(floatOpt(1, 'h'), '-2.5')), -2.5);
  });

  it('accepts the usual boolean words, case-insensitively', () => {
    const def = boolOpt(false, 'h');
    for (const word of ['true', 'TRUE', 'yes', 'Yes', '1', 'on', 'ON']) {
      assert.equal(value(parseOptionValue(def, word)), true, word);
    }
    for (const word of ['false', 'False', 'no', 'NO', '0', 'off', 'Off']) {
      assert.equal(value(parseOptionValue(def, word)), false, word);
    }
    assert.match(problem(parseOptionValue(def, 'maybe')), /expected a boolean .*got "maybe"/);
    assert.match(problem(parseOptionValue(def, '')), /expected a boolean/);
  });

  it('splits lists on commas, trimming and dropping empty items', () => {
    const def = listOpt(['a'], 'h');
    assert.deepEqual(value(parseOptionValue(def, ' a , b,,c ,')), ['a', 'b', 'c']);
    assert.deepEqual(value(parseOptionValue(def, '')), []);
  });

  it('accepts only the choices of an enum', () => {
    const def = enumOpt(['keystone', 'noauth2'], 'keystone', 'h');
    assert.equal(value(parseOptionValue(def, 'noauth2')), 'noauth2');
    assert.equal(problem(parseOptionValue(def, 'Keystone')), 'expected one of "keystone", "noauth2", got "Keystone"');
  });
});

describe('ConfigOf', () => {
  it('maps each option type to its TypeScript type', () => {
    const _schema = {
      s: {
        a: stringOpt('', 'h'),
        b: intOpt(1, 'h'),
        c: floatOpt(1, 'h'),
        d: boolOpt(true, 'h'),
        e: listOpt([], 'h'),
        f: enumOpt(['x', 'y'], 'x', 'h'),
      },
    } as const;
    type Expected = {
      readonly s: {
        readonly a: string;
        readonly b: number;
        readonly c: number;
        readonly d: boolean;
        readonly e: readonly string[];
        readonly f: 'x' | 'y';
      };
    };
    const check: [ConfigOf<typeof _schema>] extends [Expected]
      ? [Expected] extends [ConfigOf<typeof _schema>]
        ? true
        : false
      : false = true;
    assert.equal(check, true);
  });
});
