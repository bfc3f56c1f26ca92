import { Type, type Static } from '@sinclair/typebox';

// Nova's `name`: 1-255 printable characters, no leading or trailing whitespace.
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f\\x7f]*(?<!\\s)$' });
// Nova's `name_with_leading_trailing_spaces`: printable, with at least one non-space; trimmed after.
const LooseName = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?=.*\\S)[^\\x00-\\x1f\\x7f]+$' });
// Nova's `az_name`: like a name, and without ':' (Nova uses `zone:host:node` in server create).
const ZoneName = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f\\x7f:]*(?<!\\s)$' });
const OptionalZone = Type.Optional(Type.Union([ZoneName, Type.Null()]));
// Nova's `fqdn` as used for compute host names (underscores allowed, as real systems have them).
const HostName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9\\-._]*$' });

/** POST /os-aggregates: `{"aggregate": {"name", "availability_zone"?}}`. */
export const CreateAggregateBody = Type.Object(
  { aggregate: Type.Object({ name: Name, availability_zone: OptionalZone }, { additionalProperties: false }) },
  { additionalProperties: false },
);
export type CreateAggregateRequest = Static<typeof CreateAggregateBody>;

/** PUT /os-aggregates/{id}: a new name and/or availability zone; at least one of them. */
export const UpdateAggregateBody = Type.Object(
  {
    aggregate: Type.Object(
      { name: Type.Optional(LooseName), availability_zone: OptionalZone },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type UpdateAggregateRequest = Static<typeof UpdateAggregateBody>;

/** `{"add_host": {"host": H}}` on POST /os-aggregates/{id}/action. */
export const AddHostBody = Type.Object(
  { add_host: Type.Object({ host: HostName }, { additionalProperties: false }) },
  { additionalProperties: false },
);

/** `{"remove_host": {"host": H}}` on POST /os-aggregates/{id}/action. */
export const RemoveHostBody = Type.Object(
  { remove_host: Type.Object({ host: HostName }, { additionalProperties: false }) },
  { additionalProperties: false },
);

/** `{"set_metadata": {"metadata": {key: value | null}}}`; a null value deletes the key. */
export const SetMetadataBody = Type.Object(
  {
    set_metadata: Type.Object(
      {
        metadata: Type.Object(
          {},
          {
            patternProperties: { '^[a-zA-Z0-9\\-_:. ]{1,255}$': Type.Union([Type.String({ maxLength: 255 }), Type.Null()]) },
            additionalProperties: false,
          },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export interface SetMetadataRequest {
  set_metadata: { metadata: Record<string, string | null> };
}

/** The actions POST /os-aggregates/{id}/action knows. */
export const AGGREGATE_ACTIONS = ['add_host', 'remove_host', 'set_metadata'] as const;
export type AggregateAction = (typeof AGGREGATE_ACTIONS)[number];
