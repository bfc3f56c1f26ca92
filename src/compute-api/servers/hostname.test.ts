import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeHostname } from './hostname.js';

describe('sanitizeHostname', () => {
  it('lower-cases and keeps letters, digits, dots and dashes', () => {
    assert.equal(sanitizeHostname('Web-01.Example', 'fb'), 'web-01.example');
  });

  it('turns spaces and underscores into dashes', () => {
    assert.equal(sanitizeHostname('my web_server 1', 'fb'), 'my-web-server-1');
  });

  it('drops characters that are not allowed in a hostname', () => {
    assert.equal(sanitizeHostname('a!b@c#d$e%f^g&h*(i)', 'fb'), 'abcdefghi');
    assert.equal(sanitizeHostname('caf\u00e9-\u4e2d\u6587-x', 'fb'), 'caf--x');
  });

  it('strips leading and trailing dots and dashes', () => {
    assert.equal(sanitizeHostname('--..host..--', 'fb'), 'host');
    assert.equal(sanitizeHostname(' _lead', 'fb'), 'lead');
    assert.equal(sanitizeHostname('trail_ ', 'fb'), 'trail');
  });

  it('keeps inner runs as they are', () => {
    assert.equal(sanitizeHostname('a__b', 'fb'), 'a--b');
  });

  it('caps the length at 63 characters', () => {
    assert.equal(sanitizeHostname('x'.repeat(100), 'fb'), 'x'.repeat(63));
    assert.equal(sanitizeHostname('x'.repeat(63), 'fb'), 'x'.repeat(63));
  });

  it('does not leave a trailing dash or dot where it cut', () => {
    const name = `${'a'.repeat(61)}-.bbbb`;
    const got = sanitizeHostname(name, 'fb');
    assert.equal(got, 'a'.repeat(61));
    assert.ok(got.length <= 63);
  });

  it('measures the length after removing invalid characters', () => {
    const got = sanitizeHostname(`${'!'.repeat(10)}${'y'.repeat(70)}`, 'fb');
    assert.equal(got, 'y'.repeat(63));
  });

  it('falls back when nothing usable is left', () => {
    assert.equal(sanitizeHostname('', 'server-1'), 'server-1');
    assert.equal(sanitizeHostname('!!!', 'server-1'), 'server-1');
    assert.equal(sanitizeHostname('-._ ', 'server-1'), 'server-1');
    assert.equal(sanitizeHostname('\u4e2d\u6587', 'server-1'), 'server-1');
  });
});
