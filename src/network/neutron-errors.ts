import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type TesseraError } from '../common/errors.js';

type Ctor = new (code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) => TesseraError;

/**
 * The errors of the network service, each carrying the Neutron exception name that the
 * `NeutronError.type` of its HTTP body shows (clients such as neutronclient map on it) and
 * Neutron's message text. Codes are `network.<snake_case of the type>`.
 *
 * @example
 * throw portNotFound(id); // 404 {"NeutronError": {"type": "PortNotFound", "message": "Port <id> could not be found.", "detail": ""}}
 */
function neutron(Kind: Ctor, type: string, message: string, extra: Record<string, unknown> = {}, cause?: unknown): TesseraError {
  const code = `network.${type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
  return new Kind(code, message, { details: { type, ...extra }, ...(cause === undefined ? {} : { cause }) });
}

export const networkNotFound = (id: string): TesseraError =>
  neutron(NotFoundError, 'NetworkNotFound', `Network ${id} could not be found.`, { network_id: id });

export const subnetNotFound = (id: string): TesseraError =>
  neutron(NotFoundError, 'SubnetNotFound', `Subnet ${id} could not be found.`, { subnet_id: id });

export const portNotFound = (id: string): TesseraError =>
  neutron(NotFoundError, 'PortNotFound', `Port ${id} could not be found.`, { port_id: id });

export const portBindingNotFound = (portId: string, host: string): TesseraError =>
  neutron(NotFoundError, 'PortBindingNotFound', `Binding for port ${portId} for host ${host} could not be found.`, { port_id: portId, host });

export const portBindingAlreadyExists = (portId: string, host: string, cause?: unknown): TesseraError =>
  neutron(ConflictError, 'PortBindingAlreadyExists', `Binding for port ${portId} on host ${host} already exists.`, { port_id: portId, host }, cause);

export const portBindingAlreadyActive = (portId: string, host: string): TesseraError =>
  neutron(ConflictError, 'PortBindingAlreadyActive', `Binding for port ${portId} on host ${host} is already active.`, { port_id: portId, host });

/** No free address left in any subnet of the network (or in the subnet asked for). */
export const ipAddressGenerationFailure = (networkId: string, subnetId?: string): TesseraError =>
  neutron(
    ConflictError,
    'IpAddressGenerationFailure',
    subnetId === undefined ? `No more IP addresses available on network ${networkId}.` : `No more IP addresses available for subnet ${subnetId}.`,
    { network_id: networkId, ...(subnetId === undefined ? {} : { subnet_id: subnetId }) },
  );

export const ipAddressAlreadyAllocated = (ip: string, subnetId: string, cause?: unknown): TesseraError =>
  neutron(ConflictError, 'IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnetId}`, { ip_address: ip, subnet_id: subnetId }, cause);

export const invalidIpForSubnet = (ip: string): TesseraError =>
  neutron(BadRequestError, 'InvalidIpForSubnet', `IP address ${ip} is not a valid IP for the specified subnet.`, { ip_address: ip });

export const invalidIpForNetwork = (ip: string): TesseraError =>
  neutron(BadRequestError, 'InvalidIpForNetwork', `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, { ip_address: ip });

export const macAddressInUse = (networkId: string, mac: string, cause?: unknown): TesseraError =>
  neutron(ConflictError, 'MacAddressInUse', `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`, { network_id: networkId, mac_address: mac }, cause);

export const networkInUse = (networkId: string, cause?: unknown): TesseraError =>
  neutron(ConflictError, 'NetworkInUse', `Unable to complete operation on network ${networkId}. There are one or more ports still in use on the network.`, { network_id: networkId }, cause);

export const subnetInUse = (subnetId: string, cause?: unknown): TesseraError =>
  neutron(ConflictError, 'SubnetInUse', `Unable to complete operation on subnet ${subnetId}: One or more ports have an IP allocation from this subnet.`, { subnet_id: subnetId }, cause);

export const invalidAllocationPool = (pool: string): TesseraError =>
  neutron(BadRequestError, 'InvalidAllocationPool', `The allocation pool ${pool} is not valid.`);

export const outOfBoundsAllocationPool = (pool: string, cidr: string): TesseraError =>
  neutron(BadRequestError, 'OutOfBoundsAllocationPool', `The allocation pool ${pool} spans beyond the subnet cidr ${cidr}.`);

export const overlappingAllocationPools = (pool1: string, pool2: string, cidr: string): TesseraError =>
  neutron(ConflictError, 'OverlappingAllocationPools', `Found overlapping allocation pools: ${pool1} ${pool2} for subnet ${cidr}.`);

export const gatewayConflictWithAllocationPools = (ip: string, pool: string): TesseraError =>
  neutron(ConflictError, 'GatewayConflictWithAllocationPools', `Gateway ip ${ip} conflicts with allocation pool ${pool}.`);

/** Neutron's catch-all for a request that is well-formed but makes no sense. */
export const invalidInput = (message: string): TesseraError =>
  neutron(BadRequestError, 'InvalidInput', `Invalid input for operation: ${message}.`);

/** Neutron's message for a bad attribute value: "Invalid input for cidr. Reason: ...". */
export const badField = (field: string, reason: string): TesseraError =>
  new BadRequestError('network.invalid_input', `Invalid input for ${field}. Reason: ${reason}.`, { details: { type: 'HTTPBadRequest', field } });

export const badRequest = (resource: string, message: string): TesseraError =>
  neutron(BadRequestError, 'BadRequest', `Bad ${resource} request: ${message}.`);

/** A policy rule refused an action on a resource the caller can see. */
export const policyNotAuthorized = (rule: string): TesseraError =>
  neutron(ForbiddenError, 'PolicyNotAuthorized', `(rule:${rule}) is disallowed by policy`, { rule });
