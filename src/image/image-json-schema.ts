import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, IMAGE_VISIBILITIES } from './image-status.js';

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: ['null', type], ...extra });
const readOnly = (schema: Record<string, unknown>, description: string) => ({ ...schema, readOnly: true, description });

/**
 * The JSON schema of an image as `GET /v2/schemas/image` describes it (Glance's shape), for the
 * clients that read it to know which keys are core attributes; every other key is a string property.
 */
export function imageJsonSchema(): Record<string, unknown> {
  return {
    name: 'image',
    additionalProperties: { type: 'string' },
    properties: {
      id: { type: 'string', pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$', description: 'An identifier for the image' },
      name: nullable('string', { maxLength: 255, description: 'Descriptive name for the image' }),
      status: readOnly({ type: 'string', enum: [...IMAGE_STATUSES] }, 'Status of the image'),
      visibility: { type: 'string', enum: [...IMAGE_VISIBILITIES], description: 'Scope of image accessibility' },
      protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
      os_hidden: { type: 'boolean', description: 'If true, image will not appear in default image list response.' },
      checksum: readOnly(nullable('string', { maxLength: 32 }), 'md5 hash of image contents.'),
      os_hash_algo: readOnly(nullable('string', { maxLength: 64 }), 'Algorithm to calculate the os_hash_value'),
      os_hash_value: readOnly(nullable('string', { maxLength: 128 }), 'Hexdigest of the image contents using the algorithm specified by the os_hash_algo'),
      owner: nullable('string', { maxLength: 255, description: 'Owner of the image' }),
      size: readOnly(nullable('integer'), 'Size of image file in bytes'),
      virtual_size: readOnly(nullable('integer'), 'Virtual size of image in bytes'),
      container_format: { type: ['null', 'string'], enum: [null, ...CONTAINER_FORMATS], description: 'Format of the container' },
      disk_format: { type: ['null', 'string'], enum: [null, ...DISK_FORMATS], description: 'Format of the disk' },
      min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
      min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
      created_at: readOnly({ type: 'string' }, 'Date and time of image registration'),
      updated_at: readOnly({ type: 'string' }, 'Date and time of the last image modification'),
      tags: { type: 'array', items: { type: 'string', maxLength: 255 }, description: 'List of strings related to the image' },
      self: readOnly({ type: 'string' }, 'An image self url'),
      file: readOnly({ type: 'string' }, 'An image file url'),
      schema: readOnly({ type: 'string' }, 'An image schema url'),
    },
    links: [
      { rel: 'self', href: '{self}' },
      { rel: 'enclosure', href: '{file}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

/** `GET /v2/schemas/images`: a page of images with its `first`/`next` links. */
export function imagesJsonSchema(): Record<string, unknown> {
  return {
    name: 'images',
    properties: {
      images: { type: 'array', items: imageJsonSchema() },
      schema: { type: 'string' },
      first: { type: 'string' },
      next: { type: 'string' },
    },
    links: [
      { rel: 'first', href: '{first}' },
      { rel: 'next', href: '{next}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}
