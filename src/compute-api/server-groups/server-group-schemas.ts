import { Type, type TSchema } from '@sinclair/typebox';
import type { ServerGroupPolicy } from '../../db/api/server-group-repo.js';

// Nova's `name`: 1-255 printable characters, no leading or trailing whitespace.
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f\\x7f]*(?<!\\s)$' });
// Nova's `positive_integer`: an integer or its decimal spelling; a string's value is checked after parsing.
const PositiveInteger = Type.Unsafe<number | string>({ type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, minLength: 1 });

/** The policies a client may ask for at a microversion: the soft ones from 2.15. */
export function allowedPolicies(minor: number): ServerGroupPolicy[] {
  return minor >= 15 ? ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'] : ['anti-affinity', 'affinity'];
}

/**
 * The body of POST /os-server-groups: below 2.64 `{"name", "policies": [one policy]}`, from 2.64
 * `{"name", "policy", "rules"?: {"max_server_per_host"?}}`.
 */
export function createServerGroupBody(minor: number): TSchema {
  const policy = Type.Unsafe<ServerGroupPolicy>({ type: 'string', enum: allowedPolicies(minor) });
  const group =
    minor >= 64
      ? Type.Object(
          {
            name: Name,
            policy,
            rules: Type.Optional(Type.Object({ max_server_per_host: Type.Optional(PositiveInteger) }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        )
      : Type.Object({ name: Name, policies: Type.Array(policy, { minItems: 1, maxItems: 1, uniqueItems: true }) }, { additionalProperties: false });
  return Type.Object({ server_group: group }, { additionalProperties: false });
}

/** What a validated POST /os-server-groups body holds, whatever the microversion. */
export interface CreateServerGroupRequest {
  server_group: {
    name: string;
    policies?: ServerGroupPolicy[];
    policy?: ServerGroupPolicy;
    rules?: { max_server_per_host?: number | string };
  };
}

const NonNegative = Type.String({ pattern: '^[0-9]+$' });

/** The query of GET /os-server-groups; unknown parameters are refused from 2.75 on, as in Nova. */
export function serverGroupListQuery(strict: boolean): TSchema {
  return Type.Object(
    { all_projects: Type.Optional(Type.String()), limit: Type.Optional(NonNegative), offset: Type.Optional(NonNegative) },
    { additionalProperties: !strict },
  );
}

export interface ServerGroupListQuery {
  all_projects?: string;
  limit?: string;
  offset?: string;
}
