import { Type, type TSchema } from '@sinclair/typebox';
import { ServerTag, ServerTagList } from './server-tag-schema.js';

// Names: 1-255 printable characters, no leading or trailing whitespace (Nova's name parameter type).
export const ServerName = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f]*(?<!\\s)$' });

const Metadata = Type.Record(Type.String({ minLength: 1, maxLength: 255 }), Type.String({ maxLength: 255 }), { additionalProperties: false });

const NetworkList = Type.Array(
  Type.Object(
    {
      uuid: Type.Optional(Type.String({ format: 'uuid' })),
      port: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
      fixed_ip: Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])),
      tag: Type.Optional(ServerTag),
    },
    { additionalProperties: false },
  ),
);

/** The `server` object of POST /servers, for the given microversion's minor number. */
function serverObject(minor: number): TSchema {
  const networks = minor >= 37 ? Type.Union([Type.Literal('auto'), Type.Literal('none'), NetworkList]) : NetworkList;
  const props: Record<string, TSchema> = {
    name: ServerName,
    imageRef: Type.Union([Type.String({ format: 'uuid' }), Type.Literal('')]),
    flavorRef: Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Integer({ minimum: 0 })]),
    networks: minor >= 37 ? networks : Type.Optional(networks),
    availability_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    min_count: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]*$' })])),
    max_count: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]*$' })])),
    return_reservation_id: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
    metadata: Type.Optional(Metadata),
    key_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    user_data: Type.Optional(Type.String({ maxLength: 65535 })),
    adminPass: Type.Optional(Type.String()),
    accessIPv4: Type.Optional(Type.String({ format: 'ipv4' })),
    accessIPv6: Type.Optional(Type.String({ format: 'ipv6' })),
    config_drive: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
    'OS-DCF:diskConfig': Type.Optional(Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')])),
    security_groups: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }))),
    block_device_mapping_v2: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  };
  if (minor < 57) props['personality'] = Type.Optional(Type.Array(Type.Object({ path: Type.String(), contents: Type.String() })));
  if (minor >= 19) props['description'] = Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()]));
  if (minor >= 52) props['tags'] = Type.Optional(ServerTagList);
  if (minor >= 74) {
    props['host'] = Type.Optional(Type.String({ minLength: 1, maxLength: 255 }));
    props['hypervisor_hostname'] = Type.Optional(Type.String({ minLength: 1, maxLength: 255 }));
  }
  if (minor >= 90) props['hostname'] = Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9.-]+$' }));
  return Type.Object(props, { additionalProperties: false });
}

const Hints = Type.Object(
  {
    group: Type.Optional(Type.String({ format: 'uuid' })),
    same_host: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Array(Type.String({ format: 'uuid' }))])),
    different_host: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Array(Type.String({ format: 'uuid' }))])),
  },
  { additionalProperties: true },
);

/** The whole POST /servers body for a microversion. */
export function createServerBody(minor: number): TSchema {
  return Type.Object(
    {
      server: serverObject(minor),
      'os:scheduler_hints': Type.Optional(Hints),
      'OS-SCH-HNT:scheduler_hints': Type.Optional(Hints),
    },
    { additionalProperties: false },
  );
}

export interface CreateServerRequest {
  server: {
    name: string;
    imageRef: string;
    flavorRef: string | number;
    networks?: 'auto' | 'none' | { uuid?: string; port?: string | null; fixed_ip?: string; tag?: string }[];
    availability_zone?: string;
    min_count?: number | string;
    max_count?: number | string;
    return_reservation_id?: boolean | string;
    metadata?: Record<string, string>;
    key_name?: string;
    user_data?: string;
    adminPass?: string;
    accessIPv4?: string;
    accessIPv6?: string;
    config_drive?: boolean | string;
    security_groups?: { name: string }[];
    block_device_mapping_v2?: unknown[];
    description?: string | null;
    tags?: string[];
    host?: string;
    hypervisor_hostname?: string;
    hostname?: string;
  };
  'os:scheduler_hints'?: Record<string, unknown>;
  'OS-SCH-HNT:scheduler_hints'?: Record<string, unknown>;
}
