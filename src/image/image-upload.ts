import { BadRequestError, ConflictError, TesseraError } from '../common/errors.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { Logger } from '../common/logger.js';
import type { ImageRecord } from './image-record.js';
import type { ImageRepo } from './image-repo.js';
import { assertTransition } from './image-status-machine.js';
import { ImageDataTooLargeError, type ImageDataStore, type StagedImageData } from './store/image-data-store.js';
import { virtualSize } from './virtual-size.js';

export interface ImageUploadDeps {
  repo: ImageRepo;
  store: ImageDataStore;
  logger: Logger;
  faults?: FaultInjector;
  /** Largest image accepted, in bytes (`[glance] image_size_cap`). */
  maxBytes: number;
}

/**
 * Glance's upload, once the caller is allowed to make it: queued → saving (a compare-and-swap,
 * so a second upload of the same image gets 409), stream the data into the store while hashing
 * it, check the `image.upload` fault point, commit the data and go active. Any failure after
 * `saving` discards the data and leaves the image `killed`; an image deleted meanwhile gets
 * Glance's 410 and no data.
 */
export async function uploadImageData(
  deps: ImageUploadDeps,
  image: ImageRecord,
  data: AsyncIterable<Uint8Array>,
  options: { size?: number; requestId: string },
): Promise<ImageRecord> {
  const log = deps.logger.child({ request_id: options.requestId, image_id: image.id });
  assertTransition(image.status, 'saving');
  const missing = (['disk_format', 'container_format'] as const).filter((key) => image[key] === null);
  if (missing.length > 0) {
    const message = missing.length === 1 ? `Property ${missing[0]} must be set prior to saving data.` : `Properties ${missing.join(', ')} must be set prior to saving data.`;
    throw new BadRequestError('image.formats_required', message);
  }
  // A declared size over the cap is refused before the image changes at all.
  if (options.size !== undefined && options.size > deps.maxBytes) throw new ImageDataTooLargeError(deps.maxBytes);

  try {
    await deps.repo.update(image.id, { status: 'saving' }, ['queued']);
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'image.status_changed') assertTransition(String(err.details?.['status']) as ImageRecord['status'], 'saving');
    throw err;
  }

  let staged: StagedImageData | undefined;
  try {
    staged = await deps.store.stage(image.id, data, { maxBytes: deps.maxBytes });
    deps.faults?.check('image.upload');
    await staged.commit();
    const active = await deps.repo.update(
      image.id,
      {
        status: 'active',
        size: staged.size,
        virtual_size: virtualSize(image.disk_format, staged.head, staged.size),
        checksum: staged.md5,
        os_hash_algo: 'sha512',
        os_hash_value: staged.sha512,
      },
      ['saving'],
    );
    log.info({ size: staged.size, checksum: staged.md5 }, 'image data uploaded');
    return active;
  } catch (err) {
    await staged?.discard().catch((e: unknown) => log.error({ err: e }, 'could not discard the data of a failed upload'));
    throw await settleFailedUpload(deps, image.id, err, log);
  }
}

/** Kills the image after a failed upload, or reports Glance's 410 when it was deleted meanwhile. */
async function settleFailedUpload(deps: ImageUploadDeps, id: string, err: unknown, log: Logger): Promise<unknown> {
  const now = await deps.repo.find(id).catch(() => undefined);
  if (now === undefined) {
    log.warn({ err }, 'image deleted during its upload; its data was removed');
    return new TesseraError('image.gone', 410, `Image ${id} could not be found after upload. The image may have been deleted during the upload, cleaning up the chunks uploaded.`, { cause: err });
  }
  if (now.status === 'saving') {
    await deps.repo.update(id, { status: 'killed' }, ['saving']).catch((e: unknown) => log.error({ err: e }, 'could not mark the image killed'));
  }
  const level = err instanceof TesseraError && err.status < 500 ? 'warn' : 'error';
  log[level]({ err }, 'image upload failed; image killed');
  return err;
}
