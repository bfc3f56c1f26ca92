import { Type, type TSchema } from '@sinclair/typebox';

/** A filter that may be repeated (`?device_id=a&device_id=b` matches either); queries arrive as arrays. */
const MANY = Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 });
/** Neutron's boolean filter values. */
const BOOL = Type.Array(Type.String({ enum: ['True', 'true', 'False', 'false', '1', '0'] }), { maxItems: 1 });
const INTS = Type.Array(Type.String({ pattern: '^\\d{1,9}$' }), { maxItems: 100 });
/** `?fields=id&fields=name`: the attributes to return. */
const FIELDS = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 });
/** `?tags=a,b` and friends. */
const TAG_FILTERS = {
  tags: Type.Optional(MANY),
  'tags-any': Type.Optional(MANY),
  'not-tags': Type.Optional(MANY),
  'not-tags-any': Type.Optional(MANY),
};

const query = <P extends Record<string, TSchema>>(props: P) =>
  Type.Object({ ...props, ...TAG_FILTERS, fields: Type.Optional(FIELDS) }, { additionalProperties: false });

/** `GET /v2.0/networks`. Paging and sorting are not supported (400). */
export const ListNetworksQuery = query({
  id: Type.Optional(MANY),
  name: Type.Optional(MANY),
  description: Type.Optional(MANY),
  status: Type.Optional(MANY),
  project_id: Type.Optional(MANY),
  tenant_id: Type.Optional(MANY),
  mtu: Type.Optional(INTS),
  shared: Type.Optional(BOOL),
  admin_state_up: Type.Optional(BOOL),
  'router:external': Type.Optional(BOOL),
});

/** `GET /v2.0/subnets`. */
export const ListSubnetsQuery = query({
  id: Type.Optional(MANY),
  name: Type.Optional(MANY),
  description: Type.Optional(MANY),
  network_id: Type.Optional(MANY),
  project_id: Type.Optional(MANY),
  tenant_id: Type.Optional(MANY),
  cidr: Type.Optional(MANY),
  gateway_ip: Type.Optional(MANY),
  ip_version: Type.Optional(INTS),
  enable_dhcp: Type.Optional(BOOL),
});

/** `GET /v2.0/ports`. `fixed_ips` values are `ip_address=<ip>` or `subnet_id=<id>`. */
export const ListPortsQuery = query({
  id: Type.Optional(MANY),
  name: Type.Optional(MANY),
  description: Type.Optional(MANY),
  network_id: Type.Optional(MANY),
  project_id: Type.Optional(MANY),
  tenant_id: Type.Optional(MANY),
  device_id: Type.Optional(MANY),
  device_owner: Type.Optional(MANY),
  mac_address: Type.Optional(MANY),
  status: Type.Optional(MANY),
  admin_state_up: Type.Optional(BOOL),
  'binding:host_id': Type.Optional(MANY),
  'binding:vnic_type': Type.Optional(MANY),
  fixed_ips: Type.Optional(Type.Array(Type.String({ pattern: '^(ip_address|subnet_id)=.{1,255}$' }), { maxItems: 100 })),
});

/** `GET` of one resource: only `fields`. */
export const ShowQuery = Type.Object({ fields: Type.Optional(FIELDS) }, { additionalProperties: false });
