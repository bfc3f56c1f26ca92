import type { Readable } from 'node:stream';
import { TesseraError } from '../../common/errors.js';

/** What was learnt while the bytes of an image went into the store. */
export interface StagedImageData {
  size: number;
  /** MD5 hex digest: Glance's `checksum`, sent back as `Content-MD5` on download. */
  md5: string;
  /** SHA-512 hex digest: Glance's `os_hash_value` (`os_hash_algo` sha512). */
  sha512: string;
  /** The first bytes, for recognising the disk format (e.g. a qcow2 header with the virtual size). */
  head: Buffer;
  /** Makes the staged bytes the image's data, replacing nothing (an image is uploaded once). */
  commit(): Promise<void>;
  /** Throws the staged bytes away; safe to call after a failed or a successful commit. */
  discard(): Promise<void>;
}

/** The stored data of an image, opened for reading. */
export interface StoredImageData {
  size: number;
  stream: Readable;
}

/** Thrown by `stage` when the data passes `maxBytes` (Glance's 413); nothing is left behind. */
export class ImageDataTooLargeError extends TesseraError {
  constructor(readonly maxBytes: number) {
    super('image.too_large', 413, `The incoming image is too large: it exceeds the limit of ${maxBytes} bytes.`, { details: { max_bytes: maxBytes } });
  }
}

/**
 * Where image bytes live (Glance's store). Writing is two-phase so that the database decides:
 * the data is staged while the image is `saving`, committed once it checks out, and discarded on
 * every failure.
 *
 * @example
 * const staged = await store.stage(id, request.raw, { maxBytes });
 * await staged.commit();
 * const data = await store.open(id); // { size, stream } or undefined when there is none
 * await store.delete(id);
 */
export interface ImageDataStore {
  /** Streams `data` into a staging area, hashing it; the stream is read to its end or to the error. */
  stage(imageId: string, data: AsyncIterable<Uint8Array>, limits: { maxBytes: number }): Promise<StagedImageData>;
  /** The image's committed data, or undefined when it has none. */
  open(imageId: string): Promise<StoredImageData | undefined>;
  /** Removes the image's data; data that is already gone is not an error. */
  delete(imageId: string): Promise<void>;
}
