// The image module's boundary: other modules import from here only.
export { ImageService, type ImageServiceDeps } from './image-service.js';
export type { ImageClient, ImageDownload, ImageListFilter, ImageListPage, NewImageValues } from './image-client.js';
export type { ImagePatchOperation } from './image-patch.js';
export { IMAGE_CORE_FIELDS, imageProperties, type ImageCoreView, type ImageView } from './image-view.js';
export { IMAGE_STATUSES, IMAGE_VISIBILITIES, type ImageStatus, type ImageVisibility } from './image-status.js';
export { IMAGE_SORT_KEYS, type ImageSortKey, type SortDir } from './image-sort.js';
export { DEFAULT_IMAGE_SIZE, defaultImageValues } from './default-image.js';
