import type { SchemaMigration } from '../../migrator.js';
import { apiInitial } from './001-initial.js';
import { apiServerGroups } from './002-server-groups.js';
import { apiAggregateHostIndex } from './003-aggregate-host-index.js';
import { apiQuotasAndKeyPairs } from './004-quotas-and-key-pairs.js';
import { apiBuildRequestBlockDevices } from './005-build-request-block-devices.js';
import { apiQuotaCounting } from './006-quota-counting.js';
import { apiProjectCellIndex } from './007-project-cell-index.js';

/** API database migrations, oldest first. */
export const apiMigrations: SchemaMigration[] = [apiInitial, apiServerGroups, apiAggregateHostIndex, apiQuotasAndKeyPairs, apiBuildRequestBlockDevices, apiQuotaCounting, apiProjectCellIndex];
