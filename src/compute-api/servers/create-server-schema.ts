import { Type, type TSchema } from '@sinclair/typebox';
import { ServerTag, ServerTagList } from './server-tag-schema.js';

// Names: 1-255 printable characters, no leading or trailing whitespace (Nova's name parameter type).
export const ServerName = Type.String({ minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\x00-\\x1f]*(?<!\\s)$' });

const Metadata = Type.Record(Type.String({ minLength: 1, maxLength: 255 }), Type.String({ maxLength: 255 }), { additionalProperties: false });

/**
 * Device tags on networks and block devices came with 2.32, were lost by a bug in 2.33-2.41 (the
 * schema dropped them) and came back in 2.42, as in Nova.
 */
function takesDeviceTags(minor: number): boolean {
  return minor === 32 || minor >= 42;
}

function networkList(minor: number): TSchema {
  const props: Record<string, TSchema> = {
    uuid: Type.Optional(Type.String({ format: 'uuid' })),
    port: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    fixed_ip: Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])),
  };
  if (takesDeviceTags(minor)) props['tag'] = Type.Optional(ServerTag);
  return Type.Array(Type.Object(props, { additionalProperties: false }));
}

const BOOLEAN_STRINGS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't', 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f'];
/** Nova's boolean parameter type: a JSON boolean or one of oslo's boolean strings. */
const Flag = Type.Union([Type.Boolean(), Type.String({ enum: BOOLEAN_STRINGS })]);

/** One item of `block_device_mapping_v2`, Nova's schema for the microversion. */
function blockDeviceMapping(minor: number): TSchema {
  const props: Record<string, TSchema> = {
    source_type: Type.Optional(Type.String({ enum: ['volume', 'image', 'snapshot', 'blank'] })),
    uuid: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._-]*$' })),
    image_id: Type.Optional(Type.String({ format: 'uuid' })),
    volume_id: Type.Optional(Type.String({ format: 'uuid' })),
    snapshot_id: Type.Optional(Type.String({ format: 'uuid' })),
    destination_type: Type.Optional(Type.String({ enum: ['local', 'volume'] })),
    guest_format: Type.Optional(Type.String({ maxLength: 255 })),
    device_type: Type.Optional(Type.String({ maxLength: 255 })),
    disk_bus: Type.Optional(Type.String({ maxLength: 255 })),
    boot_index: Type.Optional(Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]+$' }), Type.Null()])),
    volume_size: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.String({ pattern: '^[0-9]+$' }), Type.Null()])),
    delete_on_termination: Type.Optional(Flag),
    no_device: Type.Optional(Flag),
    connection_info: Type.Optional(Type.String({ maxLength: 16777215 })),
    device_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._/-]*$' })),
  };
  if (takesDeviceTags(minor)) props['tag'] = Type.Optional(ServerTag);
  if (minor >= 67) props['volume_type'] = Type.Optional(Type.Union([Type.String({ minLength: 0, maxLength: 255 }), Type.Null()]));
  return Type.Object(props, { additionalProperties: false });
}

/** The `server` object of POST /servers, for the given microversion's minor number. */
function serverObject(minor: number): TSchema {
  const networks = minor >= 37 ? Type.Union([Type.Literal('auto'), Type.Literal('none'), networkList(minor)]) : networkList(minor);
  const props: Record<string, TSchema> = {
    name: ServerName,
    // Optional for a boot from volume, whose root device is the mapping with boot_index 0.
    imageRef: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Literal('')])),
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
    block_device_mapping_v2: Type.Optional(Type.Array(blockDeviceMapping(minor))),
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
    imageRef?: string;
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
    block_device_mapping_v2?: BlockDeviceMappingV2[];
    description?: string | null;
    tags?: string[];
    host?: string;
    hypervisor_hostname?: string;
    hostname?: string;
  };
  'os:scheduler_hints'?: Record<string, unknown>;
  'OS-SCH-HNT:scheduler_hints'?: Record<string, unknown>;
}

/** One `block_device_mapping_v2` item as the schema lets it through. */
export interface BlockDeviceMappingV2 {
  source_type?: 'volume' | 'image' | 'snapshot' | 'blank';
  uuid?: string;
  image_id?: string;
  volume_id?: string;
  snapshot_id?: string;
  destination_type?: 'local' | 'volume';
  guest_format?: string;
  device_type?: string;
  disk_bus?: string;
  boot_index?: number | string | null;
  volume_size?: number | string | null;
  delete_on_termination?: boolean | string;
  no_device?: boolean | string;
  connection_info?: string;
  device_name?: string;
  tag?: string;
  volume_type?: string | null;
}
