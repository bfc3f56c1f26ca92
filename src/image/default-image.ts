import { createHash } from 'node:crypto';
import { ConflictError } from '../common/errors.js';
import { nameBasedUuid } from '../common/name-based-uuid.js';
import type { ImageRepo, NewImage } from './image-repo.js';

/** Bytes of the CirrOS 0.6.2 x86_64 disk image that the default image stands for. */
export const DEFAULT_IMAGE_SIZE = 21430272;

/**
 * The image registered on first start. Its id and hashes derive from the name, so every
 * deployment using the same name agrees on them and tests can predict them.
 */
export function defaultImageValues(name: string): NewImage {
  const seed = `tessera-default-image:${name}`;
  return {
    id: nameBasedUuid(seed),
    name,
    status: 'active',
    visibility: 'public',
    container_format: 'bare',
    disk_format: 'qcow2',
    size: DEFAULT_IMAGE_SIZE,
    virtual_size: null,
    checksum: createHash('md5').update(seed).digest('hex'),
    os_hash_algo: 'sha512',
    os_hash_value: createHash('sha512').update(seed).digest('hex'),
    min_disk: 0,
    min_ram: 0,
    owner: null,
    protected: false,
    os_hidden: false,
    properties: {},
  };
}

/**
 * Registers the default image when the database has never held an image, so that an operator
 * who deletes it does not see it come back on the next start. Two processes starting together
 * insert the same id, and the loser's insert is a no-op.
 *
 * @returns the id seeded, or undefined when nothing was done.
 */
export async function seedDefaultImage(repo: ImageRepo, name: string): Promise<string | undefined> {
  if (!(await repo.isEmpty())) return undefined;
  const values = defaultImageValues(name);
  try {
    await repo.create(values);
  } catch (err) {
    if (err instanceof ConflictError) return undefined;
    throw err;
  }
  return values.id;
}
