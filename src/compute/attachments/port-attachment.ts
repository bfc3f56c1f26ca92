import { BadRequestError, ConflictError, InternalError, NotFoundError, TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import type { Task } from '../../conductor/tasks/task.js';
import { runTasks } from '../../conductor/tasks/task-runner.js';
import type { VirtualInterfaceRepo } from '../../db/cell/virtual-interface-repo.js';
import type { FixedIpRequest, NetworkClient, NetworkView, PortView } from '../../network/index.js';
import type { NetworkInfoEntry, VirtualInterface } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { VirtDriver } from '../../virt/index.js';
import type { InstanceLocks } from '../instance-locks.js';

/** What attaching and detaching a port on this host works with. */
export interface PortAttachmentDeps {
  /** This compute host: the port's binding host and the name in logs. */
  host: string;
  vifs: VirtualInterfaceRepo;
  network: NetworkClient;
  driver: VirtDriver;
  /** Serializes the work on one instance, so two changes of its network info cache never interleave. */
  locks: InstanceLocks;
  logger: Logger;
}

export interface AttachPortRequest {
  instance: Pick<Instance, 'uuid' | 'project_id' | 'availability_zone'>;
  /** A port the user made: it must not be in use (no device_id). It is kept, unbound, when detached. */
  portId?: string;
  /** Or a network on which a port is created for the instance's project; it is deleted when detached. */
  networkId?: string;
  /** With `networkId`: the addresses to ask for (Neutron's `fixed_ips`). */
  fixedIps?: FixedIpRequest[];
  tag?: string | null;
  /**
   * False when the guest does not exist yet and the driver will plug the port as it spawns the
   * guest (at boot); default true.
   */
  driverAttach?: boolean;
}

export interface AttachedPort {
  /** The port as it is now: bound to this host, its device the instance. */
  port: PortView;
  vif: VirtualInterface;
  /** The instance's network info cache entry of the port. */
  networkInfo: NetworkInfoEntry;
}

export interface DetachPortRequest {
  instanceUuid: string;
  portId: string;
  /** False when the guest is already gone (the instance is being deleted); default true. */
  driverDetach?: boolean;
}

/** Nova's unbinding of a port an instance leaves: no device, no owner, no host, no profile. */
export const UNBIND_PORT = { device_id: '', device_owner: '', 'binding:host_id': null, 'binding:profile': {} } as const;

/**
 * Attaches a port to an instance on this host, as Nova's compute does: take the user's port
 * (which must be free) or create one on the network for the instance's project, bind it to the
 * instance and this host (binding needs an admin context), plug it into the guest, record the
 * virtual interface with its tag, and add the port to the instance's network info cache. Each
 * step is undone in reverse when a later one fails: a port this call created is deleted, the
 * user's port is unbound, never deleted. The original error is rethrown.
 *
 * @throws BadRequestError `compute.invalid_port_request` unless exactly one of port and network is
 *   given; ConflictError `compute.port_in_use` for a port that has a device; BadRequestError
 *   `compute.port_requires_fixed_ip`; the network service's and driver's errors otherwise.
 * @example
 * const { port, vif } = await attachPort(deps, ctx, { instance, networkId: net.id, tag: 'nic1' });
 * await detachPort(deps, ctx, { instanceUuid: instance.uuid, portId: port.id }); // the port is deleted
 */
export function attachPort(deps: PortAttachmentDeps, ctx: RequestContext, request: AttachPortRequest): Promise<AttachedPort> {
  return deps.locks.run(request.instance.uuid, () => attachLocked(deps, ctx, request));
}

async function attachLocked(deps: PortAttachmentDeps, ctx: RequestContext, request: AttachPortRequest): Promise<AttachedPort> {
  const { instance } = request;
  if ((request.portId === undefined) === (request.networkId === undefined)) {
    throw new BadRequestError('compute.invalid_port_request', 'Give either a port or a network to attach, not both or neither.');
  }
  const admin = elevated(ctx);
  const preserve = request.portId !== undefined;
  const log = deps.logger.child({
    request_id: ctx.requestId, instance_uuid: instance.uuid, host: deps.host,
    ...(request.portId === undefined ? { network_id: request.networkId } : { port_id: request.portId }),
  });
  const state: { port?: PortView; previousOwner?: string; network?: NetworkView; vif?: VirtualInterface; entry?: NetworkInfoEntry; previousInfo?: NetworkInfoEntry[] } = {};
  const tasks: Task[] = [
    {
      name: preserve ? 'check_port' : 'create_port',
      execute: async () => {
        if (request.portId !== undefined) {
          const port = await deps.network.getPort(ctx, request.portId);
          if (port.device_id !== '') {
            throw new ConflictError('compute.port_in_use', `Port ${port.id} is still in use.`, { details: { port_id: port.id, device_id: port.device_id } });
          }
          if (port.fixed_ips.length === 0) {
            throw new BadRequestError('compute.port_requires_fixed_ip', `Port ${port.id} requires a FixedIP in order to be used.`, { details: { port_id: port.id } });
          }
          state.port = port;
          state.previousOwner = port.device_owner;
          // The user may use a port on a network they cannot list (another project's, shared to them by an admin).
          state.network = await deps.network.getNetwork(admin, port.network_id);
          return;
        }
        const networkId = request.networkId as string;
        state.network = await deps.network.getNetwork(ctx, networkId);
        state.port = await deps.network.createPort(ctx, {
          network_id: networkId,
          project_id: instance.project_id,
          device_owner: deviceOwner(instance),
          ...(request.fixedIps === undefined ? {} : { fixed_ips: request.fixedIps }),
        });
        log.info({ port_id: state.port.id }, 'port created for the instance');
      },
      rollback: async () => {
        if (!preserve && state.port !== undefined) await deps.network.deletePort(admin, state.port.id);
      },
    },
    {
      name: 'bind_port',
      execute: async () => {
        state.port = await deps.network.updatePort(admin, required(state.port).id, {
          device_id: instance.uuid,
          device_owner: deviceOwner(instance),
          'binding:host_id': deps.host,
        });
      },
      // A created port goes with the step before; the user's port gets back its owner, unbound.
      rollback: async () => {
        if (preserve) await deps.network.updatePort(admin, required(state.port).id, { ...UNBIND_PORT, device_owner: state.previousOwner ?? '' });
      },
    },
    {
      name: 'driver_attach_interface',
      execute: async () => {
        if (request.driverAttach === false) return;
        const port = required(state.port);
        await deps.driver.attachInterface(instance.uuid, { portId: port.id, macAddress: port.mac_address, networkId: port.network_id });
      },
      rollback: async () => {
        if (request.driverAttach !== false) await driverDetach(deps, log, instance.uuid, required(state.port).id);
      },
    },
    {
      name: 'create_virtual_interface',
      execute: async () => {
        const port = required(state.port);
        state.vif = await deps.vifs.create({ uuid: port.id, instance_uuid: instance.uuid, network_id: port.network_id, address: port.mac_address, tag: request.tag ?? null });
      },
      rollback: async () => {
        await deps.vifs.destroy(instance.uuid, required(state.port).id);
      },
    },
    {
      name: 'update_network_info_cache',
      execute: async () => {
        const port = required(state.port);
        state.previousInfo = (await deps.vifs.networkInfoFor([instance.uuid])).get(instance.uuid) ?? [];
        state.entry = networkInfoEntry(port, required(state.network), preserve);
        await deps.vifs.setNetworkInfo(instance.uuid, [...state.previousInfo.filter((e) => e.port_id !== port.id), state.entry]);
      },
      rollback: async () => undefined,
    },
  ];
  try {
    await runTasks(tasks, log);
  } catch (err) {
    log.error({ err, port_id: state.port?.id }, 'interface attach failed; completed steps were undone');
    throw err;
  }
  const port = required(state.port);
  log.info({ port_id: port.id, network_id: port.network_id, preserve_on_delete: preserve }, 'interface attached');
  return { port, vif: required(state.vif), networkInfo: required(state.entry) };
}

/**
 * Detaches a port from an instance on this host: unplug it from the guest, then delete the port if
 * Nova created it or unbind it if the user brought it (the `preserve_on_delete` flag of its
 * network info cache entry; without an entry the port is kept), then destroy the virtual
 * interface and drop the port from the network info cache. If the port cannot be released, it is
 * plugged back, so nothing changed; a retried detach finishes what a failed one left.
 *
 * @returns the virtual interface that was destroyed.
 * @throws NotFoundError `compute.port_not_attached` when the instance has no interface on the port.
 */
export function detachPort(deps: PortAttachmentDeps, ctx: RequestContext, request: DetachPortRequest): Promise<VirtualInterface> {
  return deps.locks.run(request.instanceUuid, () => detachLocked(deps, ctx, request));
}

async function detachLocked(deps: PortAttachmentDeps, ctx: RequestContext, request: DetachPortRequest): Promise<VirtualInterface> {
  const { instanceUuid, portId } = request;
  const admin = elevated(ctx);
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: instanceUuid, port_id: portId, host: deps.host });
  const vif = (await deps.vifs.list(instanceUuid)).find((v) => v.uuid === portId);
  if (vif === undefined) {
    throw new NotFoundError('compute.port_not_attached', `Port ${portId} is not attached to instance ${instanceUuid}.`, { details: { instance_uuid: instanceUuid, port_id: portId } });
  }
  const info = (await deps.vifs.networkInfoFor([instanceUuid])).get(instanceUuid) ?? [];
  const entry = info.find((e) => e.port_id === portId);
  if (entry === undefined) log.warn('the port is missing from the network info cache; it is kept, as a port the user brought');
  const preserve = entry === undefined || entry.preserve_on_delete === true;
  const tasks: Task[] = [
    {
      name: 'driver_detach_interface',
      execute: async () => {
        if (request.driverDetach !== false) await driverDetach(deps, log, instanceUuid, portId);
      },
      rollback: async () => {
        if (request.driverDetach === false) return;
        await deps.driver.attachInterface(instanceUuid, { portId, macAddress: vif.address ?? entry?.mac_address ?? '', networkId: vif.network_id ?? entry?.network_id ?? '' });
      },
    },
    {
      name: preserve ? 'unbind_port' : 'delete_port',
      execute: async () => {
        try {
          if (preserve) await deps.network.updatePort(admin, portId, UNBIND_PORT);
          else await deps.network.deletePort(admin, portId);
        } catch (err) {
          if (!(err instanceof TesseraError && err.code === 'network.port_not_found')) throw err;
          log.warn('the port was already gone');
        }
      },
      rollback: async () => undefined,
    },
  ];
  try {
    await runTasks(tasks, log);
    await deps.vifs.destroy(instanceUuid, portId);
    await deps.vifs.setNetworkInfo(instanceUuid, info.filter((e) => e.port_id !== portId));
  } catch (err) {
    log.error({ err }, 'interface detach failed');
    throw err;
  }
  log.info({ preserve_on_delete: preserve }, preserve ? 'interface detached; the port was unbound and kept' : 'interface detached; the port was deleted');
  return vif;
}

/** The cache entry of a port, as `addresses` shows it: the network's name, the MAC and the addresses. */
export function networkInfoEntry(port: PortView, network: Pick<NetworkView, 'name'>, preserveOnDelete: boolean): NetworkInfoEntry {
  return {
    port_id: port.id,
    network_id: port.network_id,
    network_name: network.name,
    mac_address: port.mac_address,
    fixed_ips: port.fixed_ips.map((ip) => ({ ip_address: ip.ip_address, version: ip.ip_address.includes(':') ? 6 : 4 })),
    preserve_on_delete: preserveOnDelete,
  };
}

/** Nova's device owner of an instance's ports: `compute:<availability zone>`. */
function deviceOwner(instance: Pick<Instance, 'availability_zone'>): string {
  return `compute:${instance.availability_zone ?? 'nova'}`;
}

/** Unplugs a port; one already unplugged (or a guest already gone) is detached enough. */
async function driverDetach(deps: PortAttachmentDeps, log: Logger, instanceUuid: string, portId: string): Promise<void> {
  try {
    await deps.driver.detachInterface(instanceUuid, portId);
  } catch (err) {
    if (err instanceof TesseraError && (err.code === 'virt.interface_not_found' || err.code === 'virt.instance_not_found')) {
      log.warn({ reason: err.code }, 'the interface was already gone from the guest');
      return;
    }
    throw err;
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new InternalError('compute.attach_step_order', 'An attach step ran before the step it depends on.');
  return value;
}
