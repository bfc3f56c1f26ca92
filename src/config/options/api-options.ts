import { enumOpt, intOpt, stringOpt } from '../option-schema.js';

/** [api] options of the compute API. */
export const apiOptions = {
  listen: stringOpt('127.0.0.1', 'Address the compute API binds to (Tessera).'),
  port: intOpt(8774, 'Port the compute API listens on; 0 picks any free port.', { min: 0, max: 65535 }),
  max_limit: intOpt(1000, 'Largest number of items a collection returns in one page.', { min: 1 }),
  compute_link_prefix: stringOpt('', 'Base URL used in links in responses; empty uses the request URL.'),
  auth_strategy: enumOpt(
    ['keystone', 'noauth2'],
    'keystone',
    'How requests are authenticated; "noauth2" trusts X-Auth-Token "user:project" (development only).',
  ),
} as const;
