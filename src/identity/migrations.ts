import { withIdColumn } from '../db/column-helpers.js';
import type { SchemaMigration } from '../db/migrator.js';

/** The first identity schema: the tokens table. */
const identityInitial: SchemaMigration = {
  // Prefixed so that it cannot collide with another schema's "001-initial" if an operator points
  // [identity] connection at a database that also holds other tables.
  name: 'identity-001-initial',
  async up(db, dialect) {
    await withIdColumn(db.schema.createTable('tokens'), dialect)
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('methods', 'text', (c) => c.notNull())
      .addColumn('audit_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('audit_chain_id', 'varchar(64)')
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tokens_expires_at_idx').on('tokens').column('expires_at').execute();
  },
};

/** Identity database migrations, oldest first. */
export const identityMigrations: SchemaMigration[] = [identityInitial];
