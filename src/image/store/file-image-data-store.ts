import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InternalError } from '../../common/errors.js';
import { ImageDataTooLargeError, type ImageDataStore, type StagedImageData, type StoredImageData } from './image-data-store.js';

const HEAD_BYTES = 512;
const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Image data as files in one directory (Glance's filesystem store, `<dir>/<image id>`). Uploads
 * are written to a `.part` file beside it and renamed on commit, so a reader never sees half an
 * image and a crash leaves only a `.part` file behind.
 *
 * @example
 * const store = await FileImageDataStore.create({ dir: '/var/lib/tessera/images' });
 */
export class FileImageDataStore implements ImageDataStore {
  private constructor(private readonly dir: string) {}

  /** Creates the directory when it does not exist yet. */
  static async create(deps: { dir: string }): Promise<FileImageDataStore> {
    await mkdir(deps.dir, { recursive: true });
    return new FileImageDataStore(deps.dir);
  }

  async stage(imageId: string, data: AsyncIterable<Uint8Array>, limits: { maxBytes: number }): Promise<StagedImageData> {
    const final = this.pathOf(imageId);
    const part = `${final}.${randomBytes(6).toString('hex')}.part`;
    const digest = new DigestingCounter(limits.maxBytes);
    try {
      await pipeline(Readable.from(data, { objectMode: false }), digest, createWriteStream(part, { flags: 'wx' }));
    } catch (err) {
      await removeFile(part);
      throw err;
    }
    let committed = false;
    return {
      size: digest.size,
      md5: digest.md5.digest('hex'),
      sha512: digest.sha512.digest('hex'),
      head: digest.head(),
      commit: async () => {
        await rename(part, final);
        committed = true;
      },
      discard: async () => {
        await removeFile(committed ? final : part);
      },
    };
  }

  async open(imageId: string): Promise<StoredImageData | undefined> {
    const path = this.pathOf(imageId);
    try {
      const info = await stat(path);
      return { size: info.size, stream: createReadStream(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(imageId: string): Promise<void> {
    await removeFile(this.pathOf(imageId));
  }

  private pathOf(imageId: string): string {
    // Ids reach here validated, but a path is built from them: refuse anything that is not one.
    if (!IMAGE_ID.test(imageId)) throw new InternalError('image.bad_store_key', `Not an image id: ${JSON.stringify(imageId)}`);
    return join(this.dir, imageId);
  }
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Passes bytes through while counting them, hashing them and keeping the first few. */
class DigestingCounter extends Transform {
  size = 0;
  readonly md5 = createHash('md5');
  readonly sha512 = createHash('sha512');
  private readonly first: Buffer[] = [];
  private firstLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(new ImageDataTooLargeError(this.maxBytes));
      return;
    }
    this.md5.update(chunk);
    this.sha512.update(chunk);
    if (this.firstLength < HEAD_BYTES) {
      this.first.push(chunk.subarray(0, HEAD_BYTES - this.firstLength));
      this.firstLength += Math.min(chunk.length, HEAD_BYTES - this.firstLength);
    }
    done(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.first);
  }
}
