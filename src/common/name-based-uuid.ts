import { createHash } from 'node:crypto';

/**
 * A version-5-style UUID (SHA-1 of the text), so an id derived from a name is the same across
 * starts and hosts: defaults seeded on first start (the image, the `private` network) use it.
 *
 * @example
 * nameBasedUuid('tessera-default-network:private'); // always the same dashed uuid
 */
export function nameBasedUuid(text: string): string {
  const bytes = createHash('sha1').update(text).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
