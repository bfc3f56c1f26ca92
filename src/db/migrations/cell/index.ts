import type { SchemaMigration } from '../../migrator.js';
import { cellInitial } from './001-initial.js';
import { cellTags } from './002-tags.js';
import { cellBlockDevicesAndInterfaces } from './003-block-devices-and-interfaces.js';
import { cellMigrationRecords } from './004-migrations.js';
import { cellShadowTables } from './005-shadow-tables.js';
import { cellInstanceResources } from './006-instance-resources.js';
import { cellQuotaUsage } from './007-quota-usage.js';

/** Cell database migrations, oldest first; cell0 and every other cell share them. */
export const cellMigrations: SchemaMigration[] = [cellInitial, cellTags, cellBlockDevicesAndInterfaces, cellMigrationRecords, cellShadowTables, cellInstanceResources, cellQuotaUsage];
