/** Where a cell lives: its name, uuid and database. cell0 has the all-zero uuid, as in Nova. */
export interface CellMapping {
  id: number;
  uuid: string;
  name: string;
  transport_url: string;
  database_connection: string;
  disabled: boolean;
}

export const CELL0_UUID = '00000000-0000-0000-0000-000000000000';
