import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { virtualSize } from './virtual-size.js';

function qcow2Header(bytes: bigint): Buffer {
  const head = Buffer.alloc(104);
  head.write('QFI\xfb', 0, 'latin1');
  head.writeUInt32BE(3, 4);
  head.writeBigUInt64BE(bytes, 24);
  return head;
}

describe('virtualSize', () => {
  it('reads the disk size from a qcow2 header', () => {
    assert.equal(virtualSize('qcow2', qcow2Header(20n * 1024n ** 3n), 65536), 20 * 1024 ** 3);
  });

  it('takes a raw image as its own size', () => {
    assert.equal(virtualSize('raw', Buffer.from('abc'), 3), 3);
  });

  it('does not guess: a wrong header, a short one, or another format give null', () => {
    assert.equal(virtualSize('qcow2', Buffer.from('not a qcow2 header at all, but long enough'), 40), null);
    assert.equal(virtualSize('qcow2', qcow2Header(1n).subarray(0, 16), 16), null);
    assert.equal(virtualSize('vmdk', qcow2Header(1n), 104), null);
    assert.equal(virtualSize(null, Buffer.alloc(0), 0), null);
  });
});
