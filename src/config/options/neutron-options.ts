import { intOpt, stringOpt } from '../option-schema.js';

/** [neutron]: the built-in network service (Tessera; a subset of Neutron v2). */
export const neutronOptions = {
  connection: stringOpt('sqlite:///{state_path}/network.sqlite', 'URL of the network database (Tessera).'),
  default_network_name: stringOpt('private', 'Shared network created on first start (Tessera).'),
  default_subnet_cidr: stringOpt('10.0.0.0/22', 'IPv4 CIDR of the default network\'s subnet (Tessera).', {
    pattern: /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/,
    patternHelp: 'an IPv4 CIDR such as 10.0.0.0/22',
  }),
  default_network_mtu: intOpt(1500, 'MTU of the default network, and of networks created without one (Tessera).', { min: 68, max: 9216 }),
} as const;
