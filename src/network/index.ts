// The network module's boundary: other modules import from here only.
export { NetworkService, type NetworkServiceDeps } from './network-service.js';
export type { NetworkOperationSet } from './network-routes.js';
export {
  NETWORK_CLIENT_OPERATIONS,
  type NetworkClient,
  type NetworkClientOperation,
  type NetworkListFilter,
  type NewPortBindingValues,
  type NewPortValues,
  type PortListFilter,
  type PortUpdateValues,
} from './network-client.js';
export type { FixedIpRequest } from './fixed-ip-planner.js';
export type { NetworkView } from './network-view.js';
export type { SubnetView } from './subnet-view.js';
export type { PortView } from './port-view.js';
export type { PortBindingView } from './port-binding-view.js';
export type { FixedIp } from './port-record.js';
export { networkRuleDefaults, NetworkRule } from './network-policy-rules.js';
export { defaultNetworkIds } from './default-network.js';
export { NETWORK_EXTENSIONS } from './network-extensions.js';
