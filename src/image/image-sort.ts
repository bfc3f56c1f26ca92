/** The keys an image list can be sorted by; Glance's default is created_at, descending. */
export const IMAGE_SORT_KEYS = ['created_at', 'name', 'id'] as const;
export type ImageSortKey = (typeof IMAGE_SORT_KEYS)[number];

export const SORT_DIRS = ['asc', 'desc'] as const;
export type SortDir = (typeof SORT_DIRS)[number];
