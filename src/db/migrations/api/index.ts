import type { SchemaMigration } from '../../migrator.js';
import { apiInitial } from './001-initial.js';
import { apiServerGroups } from './002-server-groups.js';
import { apiAggregateHostIndex } from './003-aggregate-host-index.js';
import { apiBuildRequestBlockDevices } from './004-build-request-block-devices.js';

/** API database migrations, oldest first. */
export const apiMigrations: SchemaMigration[] = [apiInitial, apiServerGroups, apiAggregateHostIndex, apiBuildRequestBlockDevices];
