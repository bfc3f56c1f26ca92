import { intOpt, stringOpt } from '../option-schema.js';

/** [glance]: the built-in image service. */
export const glanceOptions = {
  connection: stringOpt('sqlite:///{state_path}/image.sqlite', 'URL of the image database (Tessera).'),
  default_image_name: stringOpt('cirros-0.6.2-x86_64-disk', 'Image registered on first start (Tessera).'),
  filesystem_store_datadir: stringOpt(
    '{state_path}/images',
    'Directory that holds uploaded image data, one file per image (glance_store\'s option name).',
  ),
  image_size_cap: intOpt(1099511627776, 'Largest image data accepted, in bytes (Glance\'s option; default 1 TiB).', { min: 1 }),
} as const;
