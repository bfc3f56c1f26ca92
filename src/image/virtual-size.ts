const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

/**
 * The size of the disk an image describes, as Glance's format inspector reports it: a qcow2
 * image states it in its header (bytes 24-31, big-endian), a raw image is its own size. Other
 * formats, or a header that does not match the declared format, give null.
 *
 * @example
 * virtualSize('qcow2', head, 65536); // 1073741824 for a 1 GiB qcow2 disk
 * virtualSize('raw', head, 4096);    // 4096
 */
export function virtualSize(diskFormat: string | null, head: Buffer, size: number): number | null {
  if (diskFormat === 'raw') return size;
  if (diskFormat === 'qcow2' && head.length >= 32 && head.readUInt32BE(0) === QCOW2_MAGIC) {
    const value = head.readBigUInt64BE(24);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  }
  return null;
}
