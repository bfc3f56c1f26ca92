import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchExtraSpec } from './extra-specs-ops.js';

describe('matchExtraSpec', () => {
  const cases: [value: string | undefined, requirement: string, expected: boolean][] = [
    // Plain values compare whole.
    ['true', 'true', true],
    ['True', 'true', false],
    ['1', '1', true],
    ['1', '01', false],
    ['', '', true],
    [undefined, 'true', false],
    ['a b', 'a b', true],
    // `=` means at least.
    ['8', '= 4', true],
    ['4', '= 4', true],
    ['4.5', '= 4', true],
    ['2', '= 4', false],
    ['2', '= ', false],
    ['2', '=', false],
    // Numeric operators read Python floats.
    ['4', '== 4.0', true],
    ['4', '== 5', false],
    ['4', '!= 5', true],
    ['4', '!= 4', false],
    ['10', '>= 9', true],
    ['10', '>= 11', false],
    ['1e3', '>= 999', true],
    [' 7 ', '<= 7', true],
    ['8', '<= 7', false],
    ['inf', '>= 1e308', true],
    // A value that is not a number never satisfies a numeric operator (Nova would raise).
    ['abc', '>= 1', false],
    ['', '>= 0', false],
    ['5', '>= x', false],
    [undefined, '>= 1', false],
    // String operators.
    ['abc', 's== abc', true],
    ['abc', 's== abd', false],
    ['abc', 's!= abd', true],
    ['abc', 's< abd', true],
    ['abd', 's< abc', false],
    ['abc', 's<= abc', true],
    ['b', 's> a', true],
    ['a', 's>= b', false],
    // Python compares strings by code point, not numerically.
    ['10', 's< 9', true],
    // Substrings.
    ['avx avx2 sse', '<in> avx2', true],
    ['avx sse', '<in> avx2', false],
    ['avx avx2 sse', '<all-in> avx sse', true],
    ['avx sse', '<all-in> avx avx2', false],
    ['anything', '<all-in>', false],
    ['anything', '<in>', false],
    // <or> lists.
    ['ssd', '<or> hdd <or> ssd', true],
    ['hdd', '<or> hdd <or> ssd', true],
    ['nvme', '<or> hdd <or> ssd', false],
    ['ssd', '<or> ssd', true],
    ['x', '<or>', false],
    [undefined, '<or> a <or> b', false],
    // Extra blanks between words do not matter.
    ['8', '  >=   4 ', true],
    // An unknown operator makes the requirement a plain value.
    ['<gt> 3', '<gt> 3', true],
    ['5', '<gt> 3', false],
  ];
  for (const [value, requirement, expected] of cases) {
    it(`${JSON.stringify(value)} against ${JSON.stringify(requirement)} is ${expected}`, () => {
      assert.equal(matchExtraSpec(value, requirement), expected);
    });
  }
});
