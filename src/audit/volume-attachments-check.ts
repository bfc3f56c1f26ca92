import { NotFoundError } from '../common/errors.js';
import { systemContext } from '../common/request-context.js';
import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView } from './cloud-view.js';

/**
 * Volume attachments without an owner: the attachment's instance is missing or deleted in every
 * cell, or no block device mapping of any live copy of the instance references it
 * (`block_device_mapping.attachment_id`), unless an open migration of the instance explains a
 * second attachment (the destination's, made before the move switches over). Instances still
 * being built are skipped: the API reserves their volumes before a cell has a row.
 * Fix: delete the attachment (the volume becomes available when it was its last one).
 */
export class VolumeAttachmentsCheck implements AuditCheck {
  readonly name = 'volume_attachments';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells' | 'volumes' | 'requestId'>) {}

  async find(): Promise<AuditFinding[]> {
    const view = await CloudView.read(this.deps);
    const out: AuditFinding[] = [];
    const referenced = new Map<string, Set<string>>();
    for (const a of await this.deps.volumes.attachmentList(systemContext(this.deps.requestId), {})) {
      const uuid = a.instanceUuid;
      if (uuid === null || view.isBuilding(uuid)) continue;
      const copies = view.copies(uuid);
      const base = { kind: 'orphan_volume_attachment', ids: { attachment: a.id, volume: a.volumeId, instance: uuid }, ...(a.host === null ? {} : { host: a.host }), remedy: 'delete the attachment', fixable: true };
      if (copies.length === 0) {
        out.push({ ...base, reason: 'its instance is missing or deleted' });
        continue;
      }
      let ids = referenced.get(uuid);
      if (ids === undefined) {
        ids = new Set();
        for (const { store } of copies) for (const bdm of await store.repos.bdms.list(uuid)) if (bdm.attachment_id !== null) ids.add(bdm.attachment_id);
        referenced.set(uuid, ids);
      }
      if (ids.has(a.id) || view.openMigrationsOf(uuid).length > 0) continue;
      out.push({ ...base, cell: copies.map((c) => c.store.label).join(','), reason: 'no block device mapping of the instance references it, and no open migration explains it' });
    }
    return out;
  }

  async fix(finding: AuditFinding): Promise<void> {
    try {
      await this.deps.volumes.attachmentDelete(systemContext(this.deps.requestId), finding.ids['attachment'] as string);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}
