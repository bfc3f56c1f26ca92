import { Type, type TSchema } from '@sinclair/typebox';
import { ServerTag } from '../servers/server-tag-schema.js';

/**
 * The body of POST /servers/{id}/os-interface (optional as a whole, as in Nova): a port or a
 * network, at most one requested address (`fixed_ips` of one `ip_address`), and `tag` from 2.49.
 */
export function attachInterfaceBody(minor: number): TSchema {
  return Type.Object(
    {
      interfaceAttachment: Type.Optional(Type.Object(
        {
          net_id: Type.Optional(Type.String({ format: 'uuid' })),
          port_id: Type.Optional(Type.String({ format: 'uuid' })),
          fixed_ips: Type.Optional(Type.Array(
            Type.Object({ ip_address: Type.String({ anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] }) }, { additionalProperties: false }),
            { minItems: 1, maxItems: 1 },
          )),
          ...(minor >= 49 ? { tag: Type.Optional(ServerTag) } : {}),
        },
        { additionalProperties: false },
      )),
    },
    { additionalProperties: false },
  );
}

export interface AttachInterfaceBody {
  interfaceAttachment?: { net_id?: string; port_id?: string; fixed_ips?: { ip_address: string }[]; tag?: string };
}
