import { stringOpt } from '../option-schema.js';

/** [database]: the cell databases; "{cell}" is filled per cell by `cellDatabaseUrl`. */
export const databaseOptions = {
  connection: stringOpt('sqlite:///{state_path}/{cell}.sqlite', 'URL template of the cell databases; "{cell}" is the cell name.'),
} as const;

/** [api_database]: the API (super-conductor level) database. */
export const apiDatabaseOptions = {
  connection: stringOpt('sqlite:///{state_path}/api.sqlite', 'URL of the API database.'),
} as const;

/** [placement_database]: the placement service database. */
export const placementDatabaseOptions = {
  connection: stringOpt('sqlite:///{state_path}/placement.sqlite', 'URL of the placement database.'),
} as const;
