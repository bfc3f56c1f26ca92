import { Type, type TSchema } from '@sinclair/typebox';
import { SORT_DIRS, VOLUME_SORT_KEYS } from './volume-sort.js';

/** Cinder's page size when none is asked for (`osapi_max_limit`), and the largest. */
export const MAX_VOLUME_LIMIT = 1000;
const DB_MAX_INT = 2147483647;

/** A dashed or undashed UUID, any case. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
/** oslo's bool_from_string words, as Cinder's query booleans accept them. */
export const BOOL_WORD = '^([01tTfFyYnN]|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[oO][nN]|[oO][fF][fF]|[yY][eE][sS]|[nN][oO])$';

/** One of the given strings, typed as their union. */
export const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const NAME = nullable(Type.String({ maxLength: 255 }));
const UUID_OR_NULL = nullable(Type.String({ pattern: UUID_PATTERN }));
/** Cinder's metadata: keys of letters, digits and `-_:. /`, string values up to 255. */
export const METADATA = Type.Record(Type.String({ pattern: '^[a-zA-Z0-9-_:. /]{1,255}$' }), Type.String({ maxLength: 255 }), { additionalProperties: false });

const createProperties = {
  name: NAME,
  description: NAME,
  display_name: NAME,
  display_description: NAME,
  volume_type: NAME,
  metadata: nullable(METADATA),
  snapshot_id: UUID_OR_NULL,
  source_volid: UUID_OR_NULL,
  consistencygroup_id: UUID_OR_NULL,
  group_id: nullable(Type.String({ maxLength: 255 })),
  backup_id: UUID_OR_NULL,
  // An integer, or its decimal text (Cinder accepts both).
  size: nullable(Type.Union([Type.Integer({ minimum: 1, maximum: DB_MAX_INT }), Type.String({ pattern: '^[0-9]+$', maxLength: 10 })])),
  availability_zone: nullable(Type.String({ minLength: 1, maxLength: 255 })),
  multiattach: nullable(Type.Union([Type.Boolean(), Type.String({ pattern: BOOL_WORD })])),
  image_id: NAME,
  imageRef: NAME,
};

const createBody = (strict: boolean) =>
  Type.Object(
    {
      volume: Type.Partial(Type.Object(createProperties, { additionalProperties: !strict })),
      'OS-SCH-HNT:scheduler_hints': Type.Optional(nullable(Type.Object({}))),
    },
    { additionalProperties: false },
  );

/** `POST /volumes` before 3.53: unknown keys in `volume` are ignored, as Cinder did. */
export const CreateVolumeBody = createBody(false);
/** `POST /volumes` from 3.53: unknown keys are refused. */
export const CreateVolumeBodyStrict = createBody(true);

const updateProperties = { name: NAME, description: NAME, display_name: NAME, display_description: NAME, metadata: METADATA };
const updateBody = (minProperties: number) =>
  Type.Object({ volume: Type.Partial(Type.Object(updateProperties, { additionalProperties: false, minProperties })) }, { additionalProperties: false });

/** `PUT /volumes/{id}`; from 3.53 at least one field must be given. */
export const UpdateVolumeBody = updateBody(0);
export const UpdateVolumeBodyStrict = updateBody(1);

/** `GET /volumes[/detail]` query; `with_count` from 3.45. */
export const ListVolumesQuery = Type.Object(
  {
    all_tenants: Type.Optional(Type.String({ pattern: BOOL_WORD })),
    project_id: Type.Optional(Type.String({ maxLength: 255 })),
    name: Type.Optional(Type.String({ maxLength: 255 })),
    status: Type.Optional(Type.String({ maxLength: 255 })),
    bootable: Type.Optional(Type.String({ pattern: BOOL_WORD })),
    availability_zone: Type.Optional(Type.String({ maxLength: 255 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VOLUME_LIMIT })),
    marker: Type.Optional(Type.String({ maxLength: 255 })),
    sort: Type.Optional(Type.String({ maxLength: 255 })),
    sort_key: Type.Optional(literals(VOLUME_SORT_KEYS)),
    sort_dir: Type.Optional(literals(SORT_DIRS)),
    with_count: Type.Optional(Type.String({ pattern: BOOL_WORD })),
  },
  { additionalProperties: false },
);

/** `GET /limits` query: `project_id` (admin, 3.39+), or its old name `tenant_id`. */
export const LimitsQuery = Type.Object(
  { project_id: Type.Optional(Type.String({ maxLength: 255 })), tenant_id: Type.Optional(Type.String({ maxLength: 255 })) },
  { additionalProperties: false },
);

/** What `bool_from_string` makes of a validated boolean word. */
export function boolWord(value: string): boolean {
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes(value.toLowerCase());
}
