import { NotFoundError } from '../common/errors.js';
import { UUID_PATTERN } from './image-request-schemas.js';

const UUID = new RegExp(UUID_PATTERN);

/**
 * An image id from a URL. Ids are UUIDs; anything else (a name, typically) is a 404, which
 * clients take as "search by name".
 */
export function imageIdParam(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError('image.not_found', `No image found with ID ${id}`);
  return id.toLowerCase();
}
