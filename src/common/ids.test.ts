import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomIdGenerator } from './ids.js';

describe('RandomIdGenerator.secret', () => {
  it('gives url-safe text of the asked length, never the same twice, across refills of its pool', () => {
    const ids = new RandomIdGenerator();
    const seen = new Set<string>();
    // 9-byte secrets: 455 fit in one 4 KiB pool, so 2,000 of them refill it several times.
    for (let i = 0; i < 2000; i++) {
      const s = ids.secret(9);
      assert.match(s, /^[A-Za-z0-9_-]{12}$/);
      assert.equal(seen.has(s), false, `secret ${s} came twice`);
      seen.add(s);
    }
  });

  it('gives the default 32 bytes, and secrets larger than its pool', () => {
    const ids = new RandomIdGenerator();
    assert.equal(Buffer.from(ids.secret(), 'base64url').length, 32);
    const big = ids.secret(5000);
    assert.equal(Buffer.from(big, 'base64url').length, 5000);
    assert.notEqual(big, ids.secret(5000));
  });
});
