import { intOpt, stringOpt } from '../option-schema.js';

/** [identity]: the built-in identity service (Tessera; stands in for Keystone). */
export const identityOptions = {
  connection: stringOpt('sqlite:///{state_path}/identity.sqlite', 'URL of the identity database.'),
  token_expiration: intOpt(3600, 'Seconds a token stays valid.', { min: 60 }),
  token_cache_time: intOpt(
    300,
    'Seconds a process keeps a token it validated before it asks the identity database again (as keystonemiddleware does); a token revoked through another process stays usable here for up to this long. 0 turns the cache off.',
    { min: 0 },
  ),
  admin_user: stringOpt('admin', 'Name of the bootstrap admin user.'),
  admin_password: stringOpt('', 'Password of the admin user; empty generates one on first start.'),
  admin_project: stringOpt('admin', 'Project of the admin user.'),
  member_user: stringOpt('demo', 'Name of the bootstrap member user.'),
  member_password: stringOpt('', 'Password of the member user; empty generates one on first start.'),
  member_project: stringOpt('demo', 'Project of the member user.'),
  region: stringOpt('RegionOne', 'Region name in the service catalog.'),
} as const;
