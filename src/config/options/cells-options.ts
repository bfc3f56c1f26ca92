import { intOpt, listOpt, stringOpt } from '../option-schema.js';

/** [cells]: the cell layout of the all-in-one deployment (Tessera). */
export const cellsOptions = {
  names: listOpt(['cell1', 'cell2'], 'Cells besides cell0.'),
  hosts_per_cell: intOpt(2, 'Fake hypervisor hosts per cell in the all-in-one.', { min: 0 }),
  host_name_template: stringOpt('{cell}-compute{n}', 'Name of fake host n (1-based) of a cell.'),
} as const;
