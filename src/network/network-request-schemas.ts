import { Type, type TSchema } from '@sinclair/typebox';
import { VNIC_TYPES } from './port-binding-record.js';

/** A dashed UUID, any case (Neutron's `type:uuid`). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** One of the given strings, typed as their union. */
export const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

/** Neutron's limits: names and descriptions up to 255 characters, tags up to 255 without ',' or '/'. */
const NAME = Type.String({ maxLength: 255 });
const PROJECT = Type.String({ minLength: 1, maxLength: 255 });
export const TAG = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^,/]+$' });
export const TAGS = Type.Array(TAG, { maxItems: 50 });
const PROFILE = Type.Union([Type.Record(Type.String({ maxLength: 255 }), Type.Unknown(), { maxProperties: 64 }), Type.Null()]);

/** `{"<resource>": {...}}`: the one key Neutron's single-resource bodies have. */
const wrapped = <K extends string, T extends TSchema>(key: K, inner: T) =>
  Type.Object({ [key]: inner } as { [P in K]: T }, { additionalProperties: false });

/** `POST /v2.0/networks`. Bulk creation (`{"networks": [...]}`) is not supported. */
export const CreateNetworkBody = wrapped(
  'network',
  Type.Object(
    {
      name: Type.Optional(NAME),
      description: Type.Optional(NAME),
      admin_state_up: Type.Optional(Type.Boolean()),
      shared: Type.Optional(Type.Boolean()),
      'router:external': Type.Optional(Type.Boolean()),
      mtu: Type.Optional(Type.Integer({ minimum: 68, maximum: 9216 })),
      project_id: Type.Optional(PROJECT),
      tenant_id: Type.Optional(PROJECT),
      tags: Type.Optional(TAGS),
    },
    { additionalProperties: false },
  ),
);

const POOL = Type.Object({ start: Type.String({ maxLength: 64 }), end: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

/** `POST /v2.0/subnets`: IPv4 only, no subnet pools, no host routes. */
export const CreateSubnetBody = wrapped(
  'subnet',
  Type.Object(
    {
      network_id: Type.String({ pattern: UUID_PATTERN }),
      cidr: Type.String({ minLength: 1, maxLength: 64 }),
      ip_version: Type.Literal(4, { description: 'Only IPv4 subnets are supported.' }),
      name: Type.Optional(NAME),
      description: Type.Optional(NAME),
      gateway_ip: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
      allocation_pools: Type.Optional(Type.Array(POOL, { maxItems: 64 })),
      enable_dhcp: Type.Optional(Type.Boolean()),
      dns_nameservers: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16 })),
      // Clients send empty lists for what they do not set; non-empty ones are not supported.
      host_routes: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 0 })),
      project_id: Type.Optional(PROJECT),
      tenant_id: Type.Optional(PROJECT),
      tags: Type.Optional(TAGS),
    },
    { additionalProperties: false },
  ),
);

const FIXED_IP = Type.Object(
  { subnet_id: Type.Optional(Type.String({ pattern: UUID_PATTERN })), ip_address: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false, minProperties: 1 },
);

const DEVICE = Type.String({ maxLength: 255 });
const HOST = Type.String({ maxLength: 255 });

/** `POST /v2.0/ports`. Security groups, allowed address pairs and the like are not supported. */
export const CreatePortBody = wrapped(
  'port',
  Type.Object(
    {
      network_id: Type.String({ pattern: UUID_PATTERN }),
      name: Type.Optional(NAME),
      description: Type.Optional(NAME),
      admin_state_up: Type.Optional(Type.Boolean()),
      mac_address: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      fixed_ips: Type.Optional(Type.Array(FIXED_IP, { maxItems: 32 })),
      device_id: Type.Optional(DEVICE),
      device_owner: Type.Optional(DEVICE),
      'binding:host_id': Type.Optional(HOST),
      'binding:vnic_type': Type.Optional(literals(VNIC_TYPES)),
      'binding:profile': Type.Optional(PROFILE),
      project_id: Type.Optional(PROJECT),
      tenant_id: Type.Optional(PROJECT),
      tags: Type.Optional(TAGS),
    },
    { additionalProperties: false },
  ),
);

/** `PUT /v2.0/ports/{id}`; `binding:host_id` null or '' unbinds. Changing fixed IPs is not supported. */
export const UpdatePortBody = wrapped(
  'port',
  Type.Object(
    {
      name: Type.Optional(NAME),
      description: Type.Optional(NAME),
      admin_state_up: Type.Optional(Type.Boolean()),
      mac_address: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      device_id: Type.Optional(DEVICE),
      device_owner: Type.Optional(DEVICE),
      'binding:host_id': Type.Optional(Type.Union([HOST, Type.Null()])),
      'binding:vnic_type': Type.Optional(literals(VNIC_TYPES)),
      'binding:profile': Type.Optional(PROFILE),
    },
    { additionalProperties: false },
  ),
);

/** `POST /v2.0/ports/{id}/bindings`. */
export const CreatePortBindingBody = wrapped(
  'binding',
  Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 255 }),
      vnic_type: Type.Optional(literals(VNIC_TYPES)),
      profile: Type.Optional(PROFILE),
    },
    { additionalProperties: false },
  ),
);

/** `PUT /v2.0/{collection}/{id}/tags`. */
export const ReplaceTagsBody = Type.Object({ tags: TAGS }, { additionalProperties: false });
