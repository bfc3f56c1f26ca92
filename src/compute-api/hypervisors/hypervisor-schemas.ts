import { Type, type TSchema } from '@sinclair/typebox';
import { NovaBoolean } from '../flavors/flavor-schemas.js';

const NonNegative = Type.String({ pattern: '^[0-9]+$' });

/**
 * The query of GET /os-hypervisors[/detail]: anything goes before 2.33; 2.33 adds `limit` and
 * `marker`; 2.53 adds `hypervisor_hostname_pattern` and `with_servers` and refuses the rest.
 */
export function hypervisorListQuery(minor: number): TSchema {
  if (minor < 33) return Type.Object({}, { additionalProperties: true });
  const paging = { limit: Type.Optional(NonNegative), marker: Type.Optional(Type.String()) };
  if (minor < 53) return Type.Object(paging, { additionalProperties: true });
  return Type.Object(
    {
      ...paging,
      hypervisor_hostname_pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9\\-._]*$' })),
      with_servers: Type.Optional(NovaBoolean),
    },
    { additionalProperties: false },
  );
}

export interface HypervisorListQuery {
  limit?: string;
  marker?: string;
  hypervisor_hostname_pattern?: string;
  with_servers?: string | boolean;
}

/** The query of GET /os-hypervisors/{id}: `with_servers` from 2.53, and nothing else then. */
export function hypervisorShowQuery(minor: number): TSchema {
  if (minor < 53) return Type.Object({}, { additionalProperties: true });
  return Type.Object({ with_servers: Type.Optional(NovaBoolean) }, { additionalProperties: false });
}
