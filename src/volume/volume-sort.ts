/** The keys a volume list can be sorted by; Cinder's default is created_at, descending. */
export const VOLUME_SORT_KEYS = ['created_at', 'updated_at', 'id', 'name', 'size', 'status'] as const;
export type VolumeSortKey = (typeof VOLUME_SORT_KEYS)[number];

export const SORT_DIRS = ['asc', 'desc'] as const;
export type SortDir = (typeof SORT_DIRS)[number];
