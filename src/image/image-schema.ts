/**
 * Tables of the image database. Times are ISO-8601 text; booleans are 0/1; `properties` is the
 * JSON text of the image's extra string properties.
 */
export interface ImageSchema {
  images: ImageTable;
}

export interface ImageTable {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  container_format: string | null;
  disk_format: string | null;
  /** Bytes; PostgreSQL returns bigint as text, so readers convert with Number(). */
  size: number | string | null;
  virtual_size: number | string | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  owner: string | null;
  protected: number;
  os_hidden: number;
  properties: string;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  /** 0 while live, 1 once soft-deleted. */
  deleted: number;
}
