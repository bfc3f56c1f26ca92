import { Type, type TSchema } from '@sinclair/typebox';

const NonNegative = Type.String({ pattern: '^[0-9]+$' });

/**
 * The query of GET /servers/{id}/os-instance-actions: anything goes, and is ignored, before 2.58;
 * 2.58 adds `limit`, `marker` and `changes-since` and refuses the rest; 2.66 adds
 * `changes-before`. Each may be given once: a repeated one is not a string and is refused.
 */
export function listInstanceActionsQuery(minor: number): TSchema {
  if (minor < 58) return Type.Object({}, { additionalProperties: true });
  const props: Record<string, TSchema> = {
    limit: Type.Optional(NonNegative),
    marker: Type.Optional(Type.String()),
    'changes-since': Type.Optional(Type.String()),
  };
  if (minor >= 66) props['changes-before'] = Type.Optional(Type.String());
  return Type.Object(props, { additionalProperties: false });
}

/** The list query once validated (2.58+; empty before). */
export interface InstanceActionListQuery {
  limit?: string;
  marker?: string;
  'changes-since'?: string;
  'changes-before'?: string;
}
