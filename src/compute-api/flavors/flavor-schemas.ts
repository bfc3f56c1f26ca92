import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** The largest value Nova's integer columns take (its `db_const.MAX_INT`). */
export const MAX_INT = 2147483647;
/** The largest rxtx_factor (a single-precision float column in Nova). */
const SQL_SP_FLOAT_MAX = 3.40282e38;

/** Keys GET /flavors may sort by (Nova's list). */
export const FLAVOR_SORT_KEYS = [
  'created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', 'memory_mb',
  'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus',
] as const;
export type FlavorSortKey = (typeof FLAVOR_SORT_KEYS)[number];

/** The spellings of true and false that Nova's `boolean` parameter type accepts. */
export const BOOLEAN_SPELLINGS: readonly (boolean | string)[] = [
  true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes',
  false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no',
];

/** Nova's `boolean` parameter type: a JSON boolean or one of its string spellings. */
export const NovaBoolean = Type.Unsafe<boolean | string>({ type: ['boolean', 'string'], enum: [...BOOLEAN_SPELLINGS] });

// Names: 1-255 printable characters, no leading or trailing whitespace (Nova's `name` type).
const FlavorName = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f\\x7f]*(?<!\\s)$' });

// Free text: anything printable, line breaks and tabs included.
const Description = Type.Union([Type.String({ maxLength: 65535, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$' }), Type.Null()]);

// An integer, or its decimal spelling as a string; ranges of strings are checked after parsing.
const intParam = (minimum: number) => Type.Unsafe<number | string>({ type: ['integer', 'string'], pattern: '^[0-9]*$', minimum, maximum: MAX_INT });

function flavorObject(withDescription: boolean): TSchema {
  const props: Record<string, TSchema> = {
    name: FlavorName,
    id: Type.Optional(Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'], minLength: 1, maxLength: 255, pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$' })),
    ram: intParam(1),
    vcpus: intParam(1),
    disk: intParam(0),
    'OS-FLV-EXT-DATA:ephemeral': Type.Optional(intParam(0)),
    swap: Type.Optional(intParam(0)),
    rxtx_factor: Type.Optional(
      Type.Unsafe<number | string>({ type: ['number', 'string'], pattern: '^[0-9]+(\\.[0-9]+)?$', exclusiveMinimum: 0, maximum: SQL_SP_FLOAT_MAX }),
    ),
    'os-flavor-access:is_public': Type.Optional(NovaBoolean),
  };
  if (withDescription) props['description'] = Type.Optional(Description);
  return Type.Object(props, { additionalProperties: false });
}

/** The body of POST /flavors; `description` is accepted from 2.55. */
export function createFlavorBody(withDescription: boolean): TSchema {
  return Type.Object({ flavor: flavorObject(withDescription) }, { additionalProperties: false });
}

/** What a validated POST /flavors body holds. */
export interface CreateFlavorRequest {
  flavor: {
    name: string;
    id?: string | number | null;
    ram: number | string;
    vcpus: number | string;
    disk: number | string;
    'OS-FLV-EXT-DATA:ephemeral'?: number | string;
    swap?: number | string;
    rxtx_factor?: number | string;
    'os-flavor-access:is_public'?: boolean | string;
    description?: string | null;
  };
}

/** The body of PUT /flavors/{id} (2.55+): only the description may change. */
export const UpdateFlavorBody = Type.Object(
  { flavor: Type.Object({ description: Description }, { additionalProperties: false }) },
  { additionalProperties: false },
);
export type UpdateFlavorRequest = Static<typeof UpdateFlavorBody>;

// Extra spec keys: word characters, dots, dashes, colons and spaces; values short strings or numbers.
export const EXTRA_SPEC_KEY_PATTERN = '^[\\w\\.\\-: ]{1,255}$';
const ExtraSpecValue = Type.Union([Type.String({ maxLength: 255 }), Type.Number()]);

/** An `extra_specs` mapping of POST /flavors/{id}/os-extra_specs. */
const ExtraSpecs = Type.Unsafe<Record<string, string | number>>({
  type: 'object',
  patternProperties: { [EXTRA_SPEC_KEY_PATTERN]: ExtraSpecValue },
  additionalProperties: false,
});

export const CreateExtraSpecsBody = Type.Object({ extra_specs: ExtraSpecs }, { additionalProperties: false });
export type CreateExtraSpecsRequest = Static<typeof CreateExtraSpecsBody>;

/** The body of PUT /flavors/{id}/os-extra_specs/{key}: exactly one key, which must be the URL's. */
export const UpdateExtraSpecBody = Type.Unsafe<Record<string, string | number>>({
  type: 'object',
  patternProperties: { [EXTRA_SPEC_KEY_PATTERN]: ExtraSpecValue },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
});

const queryString = Type.String();

/**
 * The query of GET /flavors and /flavors/detail. Unknown parameters are ignored before 2.75 and
 * refused from 2.75 on, as in Nova.
 */
export function flavorListQuery(strict: boolean) {
  return Type.Object(
    {
      limit: Type.Optional(Type.String({ pattern: '^[0-9]*$', minLength: 1 })),
      marker: Type.Optional(queryString),
      is_public: Type.Optional(queryString),
      minRam: Type.Optional(queryString),
      minDisk: Type.Optional(queryString),
      sort_key: Type.Optional(Type.Unsafe<FlavorSortKey>({ type: 'string', enum: [...FLAVOR_SORT_KEYS] })),
      sort_dir: Type.Optional(Type.Unsafe<'asc' | 'desc'>({ type: 'string', enum: ['asc', 'desc'] })),
    },
    { additionalProperties: !strict },
  );
}
export type FlavorListQuery = Static<ReturnType<typeof flavorListQuery>>;
