import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePythonFloat } from './python-float.js';

describe('parsePythonFloat', () => {
  it('reads what Python float() reads', () => {
    assert.equal(parsePythonFloat('2'), 2);
    assert.equal(parsePythonFloat(' -2.5 '), -2.5);
    assert.equal(parsePythonFloat('.5'), 0.5);
    assert.equal(parsePythonFloat('5.'), 5);
    assert.equal(parsePythonFloat('1e3'), 1000);
    assert.equal(parsePythonFloat('1_000'), 1000);
    assert.equal(parsePythonFloat('+3'), 3);
    assert.equal(parsePythonFloat('inf'), Infinity);
    assert.equal(parsePythonFloat('-Infinity'), -Infinity);
    assert.ok(Number.isNaN(parsePythonFloat('NaN')));
  });

  it('refuses what Python refuses, unlike Number()', () => {
    for (const text of ['', '   ', '0x10', '1,5', 'abc', '1e', '_1', '1__0', '--1', 'Infinityx']) {
      assert.equal(parsePythonFloat(text), undefined, text);
    }
  });
});
