import { Type, type TSchema } from '@sinclair/typebox';

const NonNegative = Type.String({ pattern: '^[0-9]+$' });
/** A filter Nova takes as a list and reads by its last value. */
const Multi = Type.Union([Type.String(), Type.Array(Type.String())]);

/** The filters of every microversion. */
const FILTERS = ['hidden', 'host', 'instance_uuid', 'source_compute', 'status', 'migration_type'] as const;

/**
 * The query of GET /os-migrations, as Nova's schemas: the filters, and anything else (ignored)
 * before 2.59; 2.59 adds `limit`, `marker` and `changes-since` and refuses unknown parameters;
 * 2.66 adds `changes-before`; 2.80 `user_id` and `project_id`. The paging and time parameters may
 * be given once; a repeated one is not a string and is refused.
 */
export function listMigrationsQuery(minor: number): TSchema {
  const props: Record<string, TSchema> = Object.fromEntries(FILTERS.map((f) => [f, Type.Optional(Multi)]));
  if (minor < 59) return Type.Object(props, { additionalProperties: true });
  props['limit'] = Type.Optional(NonNegative);
  props['marker'] = Type.Optional(Type.String());
  props['changes-since'] = Type.Optional(Type.String());
  if (minor >= 66) props['changes-before'] = Type.Optional(Type.String());
  if (minor >= 80) {
    props['user_id'] = Type.Optional(Type.String());
    props['project_id'] = Type.Optional(Type.String());
  }
  return Type.Object(props, { additionalProperties: false });
}

/** The query once validated, with each list filter reduced to its last value. */
export interface MigrationListQuery {
  hidden?: string;
  host?: string;
  instance_uuid?: string;
  source_compute?: string;
  status?: string;
  migration_type?: string;
  limit?: string;
  marker?: string;
  'changes-since'?: string;
  'changes-before'?: string;
  user_id?: string;
  project_id?: string;
}
