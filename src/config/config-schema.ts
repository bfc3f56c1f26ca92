import type { ConfigOf } from './option-schema.js';
import { apiOptions } from './options/api-options.js';
import { cellsOptions } from './options/cells-options.js';
import { cinderOptions } from './options/cinder-options.js';
import { computeOptions, fakeDriverOptions } from './options/compute-options.js';
import { apiDatabaseOptions, databaseOptions, placementDatabaseOptions } from './options/database-options.js';
import { defaultComputeOptions } from './options/default-compute-options.js';
import { defaultOptions } from './options/default-options.js';
import { glanceOptions } from './options/glance-options.js';
import { identityOptions } from './options/identity-options.js';
import { neutronOptions } from './options/neutron-options.js';
import { notificationsOptions } from './options/notifications-options.js';
import { osloPolicyOptions } from './options/policy-options.js';
import { quotaOptions } from './options/quota-options.js';
import { filterSchedulerOptions, schedulerOptions } from './options/scheduler-options.js';

/** Every section and option Tessera accepts. Section names are case-sensitive, as in Nova. */
export const configSchema = {
  DEFAULT: { ...defaultOptions, ...defaultComputeOptions },
  api: apiOptions,
  database: databaseOptions,
  api_database: apiDatabaseOptions,
  placement_database: placementDatabaseOptions,
  identity: identityOptions,
  glance: glanceOptions,
  cinder: cinderOptions,
  neutron: neutronOptions,
  scheduler: schedulerOptions,
  filter_scheduler: filterSchedulerOptions,
  compute: computeOptions,
  cells: cellsOptions,
  fake_driver: fakeDriverOptions,
  oslo_policy: osloPolicyOptions,
  notifications: notificationsOptions,
  quota: quotaOptions,
} as const;

/**
 * The parsed, deeply frozen configuration, typed from the schema
 * (e.g. `config.api.max_limit: number`, `config.api.auth_strategy: 'keystone' | 'noauth2'`).
 */
export type Config = ConfigOf<typeof configSchema>;
export type ConfigSectionName = keyof Config;
