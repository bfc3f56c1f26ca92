import { Type } from '@sinclair/typebox';
import { CUSTOM_NAME_PATTERN, RC_TRAIT_PATTERN } from '../standard-resource-classes.js';

/** Placement's MAX_INT for inventory fields, and the largest single-precision float for ratios. */
const MAX_INT = 2147483647;
const MAX_RATIO = 3.40282e38;
const UUID = { type: 'string', format: 'uuid' } as const;
/** Object keys that are uuids (TypeBox turns a record's key schema into a pattern). */
const UuidKey = Type.String({ pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' });
const closed = { additionalProperties: false } as const;
const Uuid = Type.Unsafe<string>(UUID);
const Generation = Type.Integer();
const ProjectOrUser = Type.String({ minLength: 1, maxLength: 255 });

export const CreateProviderBody = Type.Object(
  { name: Type.String({ maxLength: 200, minLength: 1 }), uuid: Type.Optional(Uuid), parent_provider_uuid: Type.Optional(Type.Union([Uuid, Type.Null()])) },
  { additionalProperties: false },
);

export const UpdateProviderBody = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 200, minLength: 1 })), parent_provider_uuid: Type.Optional(Type.Union([Uuid, Type.Null()])) },
  { additionalProperties: false },
);

const inventoryFields = {
  total: Type.Integer({ minimum: 1, maximum: MAX_INT }),
  reserved: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INT })),
  min_unit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  max_unit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  step_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  allocation_ratio: Type.Optional(Type.Number({ maximum: MAX_RATIO })),
};

/** PUT /resource_providers/{uuid}/inventories/{rc} */
export const InventoryBody = Type.Object({ resource_provider_generation: Generation, ...inventoryFields }, { additionalProperties: false });

/** POST /resource_providers/{uuid}/inventories (the generation is optional there) */
export const NewInventoryBody = Type.Object(
  { resource_class: Type.String({ pattern: RC_TRAIT_PATTERN }), resource_provider_generation: Type.Optional(Generation), ...inventoryFields },
  { additionalProperties: false },
);

/** PUT /resource_providers/{uuid}/inventories */
export const InventoriesBody = Type.Object(
  {
    resource_provider_generation: Generation,
    inventories: Type.Record(Type.String({ pattern: RC_TRAIT_PATTERN }), Type.Object({ ...inventoryFields }, closed), closed),
  },
  { additionalProperties: false },
);

const AggregateList = Type.Array(Uuid, { uniqueItems: true });
export const AggregatesBodyV1_1 = AggregateList;
export const AggregatesBodyV1_19 = Type.Object({ aggregates: AggregateList, resource_provider_generation: Generation }, { additionalProperties: false });

export const ProviderTraitsBody = Type.Object(
  { traits: Type.Array(Type.String({ minLength: 1, maxLength: 255 })), resource_provider_generation: Generation },
  { additionalProperties: false },
);

export const ResourceClassBody = Type.Object({ name: Type.String({ pattern: CUSTOM_NAME_PATTERN, maxLength: 255 }) }, { additionalProperties: false });

const Resources = Type.Record(Type.String({ pattern: RC_TRAIT_PATTERN }), Type.Integer({ minimum: 1, maximum: MAX_INT }), { minProperties: 1, ...closed });

/** Before 1.12: a list of `{resource_provider: {uuid}, resources}`. */
export const AllocationsListBody = Type.Object(
  {
    allocations: Type.Array(
      Type.Object({ resource_provider: Type.Object({ uuid: Uuid }, { additionalProperties: false }), resources: Resources }, { additionalProperties: false }),
      { minItems: 1 },
    ),
    project_id: Type.Optional(ProjectOrUser),
    user_id: Type.Optional(ProjectOrUser),
  },
  { additionalProperties: false },
);

const AllocationDict = Type.Record(UuidKey, Type.Object({ generation: Type.Optional(Generation), resources: Resources }, closed), closed);

/** 1.12+: a dict by provider uuid; an empty dict (1.28+) removes everything. */
export const AllocationsDictBody = Type.Object(
  {
    allocations: AllocationDict,
    project_id: ProjectOrUser,
    user_id: ProjectOrUser,
    consumer_generation: Type.Optional(Type.Union([Generation, Type.Null()])),
    consumer_type: Type.Optional(Type.String({ pattern: RC_TRAIT_PATTERN, minLength: 1, maxLength: 255 })),
    mappings: Type.Optional(Type.Record(Type.String({ pattern: '^[a-zA-Z0-9_-]{0,64}$' }), Type.Array(Uuid, { minItems: 1 }), closed)),
  },
  { additionalProperties: false },
);

/** POST /allocations: consumer uuid → the dict-format body of that consumer. */
export const MultiAllocationsBody = Type.Record(UuidKey, AllocationsDictBody, { minProperties: 1, ...closed });

export const ProvidersQuery = Type.Object(
  {
    name: Type.Optional(Type.String()),
    uuid: Type.Optional(Uuid),
    member_of: Type.Optional(Type.String()),
    resources: Type.Optional(Type.String()),
    in_tree: Type.Optional(Type.String()),
    required: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const CandidatesQuery = Type.Object(
  {
    resources: Type.String(),
    member_of: Type.Optional(Type.String()),
    required: Type.Optional(Type.String()),
    in_tree: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    group_policy: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['none', 'isolate'] })),
  },
  { additionalProperties: false },
);

export const TraitsQuery = Type.Object({ name: Type.Optional(Type.String()), associated: Type.Optional(Type.String()) }, { additionalProperties: false });

export const UsagesQuery = Type.Object(
  { project_id: ProjectOrUser, user_id: Type.Optional(ProjectOrUser), consumer_type: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) },
  { additionalProperties: false },
);
