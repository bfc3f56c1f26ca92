import { Type } from '@sinclair/typebox';
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, IMAGE_VISIBILITIES } from './image-status.js';
import { IMAGE_SORT_KEYS, SORT_DIRS } from './image-sort.js';

/** Glance's default and maximum page sizes (`limit_param_default`, `api_limit_max`). */
export const DEFAULT_IMAGE_LIMIT = 25;
export const MAX_IMAGE_LIMIT = 1000;

/** A dashed UUID, any case; Glance ids are stored lower-case. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** One of the given strings, typed as their union. */
const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const MAX_INT = 2147483647;

/** `GET /v2/images` query. `visibility=all` is Glance's way of asking for no visibility filter. */
export const ListImagesQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 255 })),
    status: Type.Optional(literals(IMAGE_STATUSES)),
    visibility: Type.Optional(literals([...IMAGE_VISIBILITIES, 'all'] as const)),
    owner: Type.Optional(Type.String({ maxLength: 255 })),
    os_hidden: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_IMAGE_LIMIT })),
    marker: Type.Optional(Type.String({ maxLength: 255 })),
    sort_key: Type.Optional(literals(IMAGE_SORT_KEYS)),
    sort_dir: Type.Optional(literals(SORT_DIRS)),
  },
  { additionalProperties: false },
);

/**
 * `POST /v2/images` body: the settable core fields, and any other key as an extra string property.
 * Read-only keys (status, size, checksum, ...) are refused separately with Glance's 403.
 */
export const CreateImageBody = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    container_format: Type.Optional(Type.Union([literals(CONTAINER_FORMATS), Type.Null()])),
    disk_format: Type.Optional(Type.Union([literals(DISK_FORMATS), Type.Null()])),
    visibility: Type.Optional(literals(IMAGE_VISIBILITIES)),
    min_disk: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INT })),
    min_ram: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INT })),
    protected: Type.Optional(Type.Boolean()),
    os_hidden: Type.Optional(Type.Boolean()),
    owner: Type.Optional(Type.String({ maxLength: 255 })),
    // Tags are not stored (yet); an empty list, as some clients send, is accepted.
    tags: Type.Optional(Type.Array(Type.String(), { maxItems: 0 })),
  },
  { additionalProperties: Type.String({ maxLength: 65535 }), propertyNames: { minLength: 1, maxLength: 255 } },
);

/** Keys a client may not set on create, as Glance refuses them ("Attribute 'size' is read-only."). */
export const READ_ONLY_IMAGE_KEYS: ReadonlySet<string> = new Set([
  'status', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'created_at', 'updated_at',
  'deleted', 'deleted_at', 'self', 'file', 'schema', 'locations', 'direct_url',
]);

/** The media types of `PATCH /v2/images/{id}`, and the JSON-patch draft each one speaks. */
export const PATCH_MEDIA_TYPES: Readonly<Record<string, 4 | 10>> = {
  'application/openstack-images-v2.0-json-patch': 4,
  'application/openstack-images-v2.1-json-patch': 10,
};

/** `application/openstack-images-v2.1-json-patch`: `[{"op": "replace", "path": "/name", "value": "x"}]`. */
export const PatchBodyV21 = Type.Array(
  Type.Object({
    op: literals(['add', 'remove', 'replace'] as const),
    path: Type.String({ minLength: 1, maxLength: 1024 }),
    value: Type.Optional(Type.Unknown()),
  }),
  { maxItems: 1000 },
);

/** `application/openstack-images-v2.0-json-patch`: `[{"replace": "/name", "value": "x"}]`. */
export const PatchBodyV20 = Type.Array(
  Type.Union(
    (['add', 'remove', 'replace'] as const).map((op) =>
      Type.Object({ [op]: Type.String({ minLength: 1, maxLength: 1024 }), value: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
    ),
  ),
  { maxItems: 1000 },
);

/** Headers of `PUT /v2/images/{id}/file` that describe the data (the rest are the client's business). */
export const UploadHeaders = Type.Object({
  'content-length': Type.Optional(Type.Integer({ minimum: 0 })),
  'x-openstack-image-size': Type.Optional(Type.Integer({ minimum: 0 })),
});
