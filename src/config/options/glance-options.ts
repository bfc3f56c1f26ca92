import { stringOpt } from '../option-schema.js';

/** [glance]: the built-in image service. */
export const glanceOptions = {
  connection: stringOpt('sqlite:///{state_path}/image.sqlite', 'URL of the image database (Tessera).'),
  default_image_name: stringOpt('cirros-0.6.2-x86_64-disk', 'Image registered on first start (Tessera).'),
} as const;
