import { NotFoundError } from '../common/errors.js';
import { systemContext } from '../common/request-context.js';
import { imageProperties, type ImageView } from '../image/index.js';
import { MOVE_SNAPSHOT_MIGRATION, MOVE_SNAPSHOT_OF } from '../objects/move-snapshot.js';
import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView } from './cloud-view.js';

/**
 * Snapshot images a cross-cell move took (marked with {@link MOVE_SNAPSHOT_OF} and
 * {@link MOVE_SNAPSHOT_MIGRATION}) whose migration is missing or no longer open: the move that
 * should have deleted it died. Fix: delete the image.
 */
export class MoveSnapshotsCheck implements AuditCheck {
  readonly name = 'move_snapshots';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells' | 'images' | 'requestId'>) {}

  async find(): Promise<AuditFinding[]> {
    const view = await CloudView.read(this.deps);
    const out: AuditFinding[] = [];
    for (const image of await this.markedImages()) {
      const props = imageProperties(image);
      const migration = props[MOVE_SNAPSHOT_MIGRATION] ?? '';
      if (migration !== '' && view.isOpenMigration(migration)) continue;
      out.push({
        kind: 'orphan_move_snapshot',
        ids: { image: image.id, instance: props[MOVE_SNAPSHOT_OF] ?? '', migration },
        reason: migration === '' ? 'move snapshot without a migration' : 'its migration is missing or no longer open',
        remedy: 'delete the image',
        fixable: true,
      });
    }
    return out;
  }

  async fix(finding: AuditFinding): Promise<void> {
    try {
      await this.deps.images.delete(systemContext(this.deps.requestId), finding.ids['image'] as string);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  /** Every image with the mark, hidden ones too (Glance lists `os_hidden` images only when asked). */
  private async markedImages(): Promise<ImageView[]> {
    const admin = systemContext(this.deps.requestId);
    const found = new Map<string, ImageView>();
    for (const osHidden of [false, true]) {
      const { images } = await this.deps.images.list(admin, { visibility: 'all', osHidden });
      for (const image of images) if (imageProperties(image)[MOVE_SNAPSHOT_OF] !== undefined) found.set(image.id, image);
    }
    return [...found.values()];
  }
}
