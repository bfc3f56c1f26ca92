import { NotFoundError } from '../common/errors.js';
import { systemContext } from '../common/request-context.js';
import { UNBIND_PORT } from '../compute/attachments/port-attachment.js';
import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView } from './cloud-view.js';

/** What fixing a port finding does. */
export interface PortFinding extends AuditFinding {
  action: 'delete_port' | 'unbind_port' | 'delete_binding' | 'rebind';
  /** With `rebind`: the instance's host. */
  rebindTo?: string;
}

/** Only compute ports have instances for devices (and extended bindings). */
const COMPUTE_OWNER = 'compute:';

/**
 * Ports bound to instances that are gone, and port bindings for hosts nothing uses.
 *
 * A compute port whose `device_id` is an instance with no live row in any cell: deleted when Nova
 * created it (the instance's last network info cache, kept soft-deleted, says
 * `preserve_on_delete: false`), otherwise unbound as Nova leaves a port the user brought
 * ({@link UNBIND_PORT}); when the cache is gone (archived) the port is unbound, the safe choice.
 *
 * A binding of a live instance's port for a host that is neither the host of a copy of the
 * instance nor an end of one of its open migrations: an inactive one is deleted; an active one
 * (the port is wired to the wrong host) is moved to the instance's host.
 */
export class PortBindingsCheck implements AuditCheck<PortFinding> {
  readonly name = 'port_bindings';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells' | 'network' | 'requestId'>) {}

  async find(): Promise<PortFinding[]> {
    const view = await CloudView.read(this.deps);
    const admin = systemContext(this.deps.requestId);
    const out: PortFinding[] = [];
    for (const port of await this.deps.network.listPorts(admin)) {
      const uuid = port.device_id;
      if (uuid === '' || !port.device_owner.startsWith(COMPUTE_OWNER) || view.isBuilding(uuid)) continue;
      const ids = { port: port.id, instance: uuid };
      const copies = view.copies(uuid);
      if (copies.length === 0) {
        const created = await this.createdByNova(view, uuid, port.id);
        out.push({
          kind: 'orphan_port', ids, ...(port['binding:host_id'] ? { host: port['binding:host_id'] } : {}),
          reason: 'its instance is missing or deleted',
          remedy: created ? 'delete the port (Nova created it)' : 'unbind the port (the user brought it, or nothing tells)',
          fixable: true, action: created ? 'delete_port' : 'unbind_port',
        });
        continue;
      }
      const hosts = new Set<string>();
      for (const { copy } of copies) if (copy.host !== null) hosts.add(copy.host);
      for (const m of view.openMigrationsOf(uuid)) for (const h of [m.source_compute, m.dest_compute]) if (h !== null) hosts.add(h);
      const home = view.home(uuid)?.copy.host ?? null;
      for (const binding of await this.deps.network.listPortBindings(admin, port.id)) {
        if (binding.host === '' || hosts.has(binding.host)) continue;
        const active = binding.status === 'ACTIVE';
        const base = { kind: 'stale_port_binding', ids, host: binding.host, cell: copies.map((c) => c.store.label).join(',') };
        if (!active) out.push({ ...base, reason: 'inactive binding for a host the instance neither is on nor moves between', remedy: 'delete the binding', fixable: true, action: 'delete_binding' });
        else {
          out.push({
            ...base, reason: `active binding for a host the instance is not on${home === null ? '' : ` (it is on ${home})`}`,
            remedy: home === null ? 'none: the instance has no host to bind to' : `bind the port to ${home}`,
            fixable: home !== null, action: 'rebind', ...(home === null ? {} : { rebindTo: home }),
          });
        }
      }
    }
    return out;
  }

  async fix(finding: PortFinding): Promise<void> {
    const admin = systemContext(this.deps.requestId);
    const portId = finding.ids['port'] as string;
    try {
      if (finding.action === 'delete_port') await this.deps.network.deletePort(admin, portId);
      else if (finding.action === 'unbind_port') await this.deps.network.updatePort(admin, portId, UNBIND_PORT);
      else if (finding.action === 'delete_binding') await this.deps.network.deletePortBinding(admin, portId, finding.host as string);
      else if (finding.rebindTo !== undefined) await this.deps.network.updatePort(admin, portId, { 'binding:host_id': finding.rebindTo });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  /** Whether the instance's last network info cache (in any cell) marks the port as Nova's own. */
  private async createdByNova(view: CloudView, instanceUuid: string, portId: string): Promise<boolean> {
    for (const store of view.stores) {
      const entry = (await store.repos.vifs.lastNetworkInfo(instanceUuid))?.find((e) => e.port_id === portId);
      if (entry !== undefined) return entry.preserve_on_delete === false;
    }
    return false;
  }
}
