import type { RuleDefault } from '../policy/index.js';

const ADMIN = 'rule:context_is_admin';
/** A member of the project that owns the network the resource is on. */
const NET_OWNER_MEMBER = 'role:member and project_id:%(network_project_id)s';
const ADMIN_OR_NET_OWNER_MEMBER = `${ADMIN} or (${NET_OWNER_MEMBER})`;
const ADMIN_OR_PROJECT_MEMBER = 'rule:project_member_or_admin';
const ADMIN_OR_PROJECT_READER = 'rule:project_reader_or_admin';
/** Every project may read shared and external networks (and their subnets). */
const SHARED_OR_EXTERNAL = "'True':%(shared)s or 'True':%(router_external)s";

/** Neutron's rule names for the parts of its API that Tessera's network service serves. */
export const NetworkRule = {
  getNetwork: 'get_network',
  createNetwork: 'create_network',
  createNetworkShared: 'create_network:shared',
  createNetworkExternal: 'create_network:router:external',
  deleteNetwork: 'delete_network',
  getSubnet: 'get_subnet',
  createSubnet: 'create_subnet',
  deleteSubnet: 'delete_subnet',
  getPort: 'get_port',
  getPortHostId: 'get_port:binding:host_id',
  getPortVifType: 'get_port:binding:vif_type',
  getPortVifDetails: 'get_port:binding:vif_details',
  getPortProfile: 'get_port:binding:profile',
  createPort: 'create_port',
  createPortDeviceOwner: 'create_port:device_owner',
  createPortMacAddress: 'create_port:mac_address',
  createPortFixedIpsIpAddress: 'create_port:fixed_ips:ip_address',
  createPortFixedIpsSubnetId: 'create_port:fixed_ips:subnet_id',
  createPortHostId: 'create_port:binding:host_id',
  createPortProfile: 'create_port:binding:profile',
  updatePort: 'update_port',
  updatePortDeviceOwner: 'update_port:device_owner',
  updatePortMacAddress: 'update_port:mac_address',
  updatePortHostId: 'update_port:binding:host_id',
  updatePortProfile: 'update_port:binding:profile',
  deletePort: 'delete_port',
  getPortBinding: 'get_port_binding',
  createPortBinding: 'create_port_binding',
  activatePortBinding: 'activate',
  deletePortBinding: 'delete_port_binding',
  getQuota: 'get_quota',
} as const;

/** Tag rules per tagged collection: `get_ports_tags`, `update_ports_tags`, `create_ports_tags`, `delete_ports_tags`. */
export function tagRule(action: 'get' | 'create' | 'update' | 'delete', collection: 'networks' | 'subnets' | 'ports'): string {
  return `${action}_${collection}_tags`;
}

type Op = [method: string, path: string];
const rule = (name: string, checkStr: string, description: string, ...operations: Op[]): RuleDefault => ({
  name,
  checkStr,
  description,
  operations: operations.map(([method, path]) => ({ method, path })),
});

const NET = '/v2.0/networks/{network_id}';
const SUBNET = '/v2.0/subnets/{subnet_id}';
const PORT = '/v2.0/ports/{port_id}';
const BINDING = `${PORT}/bindings/{host}`;

function tagRules(collection: 'networks' | 'subnets' | 'ports', read: string, write: string): RuleDefault[] {
  const item = `/v2.0/${collection}/{id}/tags`;
  return [
    rule(tagRule('get', collection), read, `Show the tags of a ${collection.slice(0, -1)}`, ['GET', item], ['GET', `${item}/{tag}`]),
    rule(tagRule('create', collection), write, `Add a tag to a ${collection.slice(0, -1)}`, ['PUT', `${item}/{tag}`]),
    rule(tagRule('update', collection), write, `Replace the tags of a ${collection.slice(0, -1)}`, ['PUT', item]),
    rule(tagRule('delete', collection), write, `Remove tags from a ${collection.slice(0, -1)}`, ['DELETE', item], ['DELETE', `${item}/{tag}`]),
  ];
}

/**
 * Neutron's default rules for networks, subnets, ports and port bindings, in Tessera's policy
 * syntax. Targets carry the resource's `project_id`, the owning network's `network_project_id`,
 * and `shared` / `router_external`; a port's target also says whether its device owner is a
 * `network:` one (`network_device`). Which resources a caller can see at all is decided by the
 * repositories (unseen is 404), these rules decide what they may do with what they see.
 *
 * @example
 * const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...networkRuleDefaults] });
 */
export const networkRuleDefaults: readonly RuleDefault[] = [
  rule(NetworkRule.getNetwork, `${ADMIN_OR_PROJECT_READER} or ${SHARED_OR_EXTERNAL}`, 'Show or list networks', ['GET', '/v2.0/networks'], ['GET', NET]),
  rule(NetworkRule.createNetwork, ADMIN_OR_PROJECT_MEMBER, 'Create a network', ['POST', '/v2.0/networks']),
  rule(NetworkRule.createNetworkShared, ADMIN, 'Create a shared network', ['POST', '/v2.0/networks']),
  rule(NetworkRule.createNetworkExternal, ADMIN, 'Create an external network', ['POST', '/v2.0/networks']),
  rule(NetworkRule.deleteNetwork, ADMIN_OR_PROJECT_MEMBER, 'Delete a network', ['DELETE', NET]),
  rule(NetworkRule.getSubnet, `${ADMIN_OR_PROJECT_READER} or ${SHARED_OR_EXTERNAL}`, 'Show or list subnets', ['GET', '/v2.0/subnets'], ['GET', SUBNET]),
  rule(NetworkRule.createSubnet, ADMIN_OR_NET_OWNER_MEMBER, 'Create a subnet', ['POST', '/v2.0/subnets']),
  rule(NetworkRule.deleteSubnet, ADMIN_OR_NET_OWNER_MEMBER, 'Delete a subnet', ['DELETE', SUBNET]),
  rule(NetworkRule.getPort, `${ADMIN_OR_PROJECT_READER} or (role:reader and project_id:%(network_project_id)s)`, 'Show or list ports', ['GET', '/v2.0/ports'], ['GET', PORT]),
  rule(NetworkRule.getPortHostId, ADMIN, 'See binding:host_id of a port', ['GET', PORT]),
  rule(NetworkRule.getPortVifType, ADMIN, 'See binding:vif_type of a port', ['GET', PORT]),
  rule(NetworkRule.getPortVifDetails, ADMIN, 'See binding:vif_details of a port', ['GET', PORT]),
  rule(NetworkRule.getPortProfile, ADMIN, 'See binding:profile of a port', ['GET', PORT]),
  rule(NetworkRule.createPort, ADMIN_OR_PROJECT_MEMBER, 'Create a port', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortDeviceOwner, `'False':%(network_device)s or ${ADMIN_OR_NET_OWNER_MEMBER}`, 'Create a port with a network: device owner', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortMacAddress, ADMIN_OR_NET_OWNER_MEMBER, 'Create a port with a given MAC address', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortFixedIpsIpAddress, ADMIN_OR_NET_OWNER_MEMBER, 'Create a port with a given IP address', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortFixedIpsSubnetId, `${ADMIN_OR_NET_OWNER_MEMBER} or 'True':%(shared)s`, 'Create a port on a given subnet', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortHostId, ADMIN, 'Create a port bound to a host', ['POST', '/v2.0/ports']),
  rule(NetworkRule.createPortProfile, ADMIN, 'Create a port with a binding profile', ['POST', '/v2.0/ports']),
  rule(NetworkRule.updatePort, ADMIN_OR_PROJECT_MEMBER, 'Update a port', ['PUT', PORT]),
  rule(NetworkRule.updatePortDeviceOwner, `'False':%(network_device)s or ${ADMIN_OR_NET_OWNER_MEMBER}`, 'Give a port a network: device owner', ['PUT', PORT]),
  rule(NetworkRule.updatePortMacAddress, ADMIN, 'Change the MAC address of a port', ['PUT', PORT]),
  rule(NetworkRule.updatePortHostId, ADMIN, 'Bind a port to a host, or unbind it', ['PUT', PORT]),
  rule(NetworkRule.updatePortProfile, ADMIN, 'Change the binding profile of a port', ['PUT', PORT]),
  rule(NetworkRule.deletePort, `${ADMIN_OR_PROJECT_MEMBER} or (${NET_OWNER_MEMBER})`, 'Delete a port', ['DELETE', PORT]),
  rule(NetworkRule.getPortBinding, ADMIN, 'List or show the bindings of a port', ['GET', `${PORT}/bindings`], ['GET', BINDING]),
  rule(NetworkRule.createPortBinding, ADMIN, 'Bind a port to another host', ['POST', `${PORT}/bindings`]),
  rule(NetworkRule.activatePortBinding, ADMIN, "Make a port's binding to a host the active one", ['PUT', `${BINDING}/activate`]),
  rule(NetworkRule.deletePortBinding, ADMIN, "Delete a port's binding to a host", ['DELETE', BINDING]),
  rule(NetworkRule.getQuota, ADMIN_OR_PROJECT_READER, 'Show the quota of a project, or its defaults', ['GET', '/v2.0/quotas/{project_id}'], ['GET', '/v2.0/quotas/{project_id}/default']),
  ...tagRules('networks', `${ADMIN_OR_PROJECT_READER} or ${SHARED_OR_EXTERNAL}`, ADMIN_OR_PROJECT_MEMBER),
  ...tagRules('subnets', `${ADMIN_OR_PROJECT_READER} or ${SHARED_OR_EXTERNAL}`, ADMIN_OR_NET_OWNER_MEMBER),
  ...tagRules('ports', `${ADMIN_OR_PROJECT_READER} or (role:reader and project_id:%(network_project_id)s)`, ADMIN_OR_PROJECT_MEMBER),
];
