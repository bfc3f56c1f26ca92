import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import type { Dialect } from '../db/connection.js';
import { AttachmentRepo } from './attachment-repo.js';
import { QuotaUsageRepo } from './quota-usage-repo.js';
import { VolumeRepo } from './volume-repo.js';
import type { VolumeSchema } from './volume-schema.js';

/**
 * The repositories of the volume database, bound to one connection or one transaction.
 *
 * @example
 * await store.transaction(async (tx) => {
 *   await tx.lockVolume(volumeId);           // later writers of this volume wait here
 *   const attachments = await tx.attachments.ofVolume(volumeId);
 *   await tx.volumes.setStatus(volumeId, statusFromAttachments(attachments.map((a) => a.attach_status)));
 * });
 */
export class VolumeStore {
  readonly volumes: VolumeRepo;
  readonly attachments: AttachmentRepo;
  readonly usages: QuotaUsageRepo;

  constructor(private readonly deps: { db: Kysely<VolumeSchema>; dialect: Dialect; clock: Clock }) {
    this.volumes = new VolumeRepo(deps);
    this.attachments = new AttachmentRepo(deps);
    this.usages = new QuotaUsageRepo(deps);
  }

  /**
   * Runs `fn` in one transaction with repositories bound to it; every query inside must go
   * through `tx` (on SQLite the transaction holds the only connection).
   */
  transaction<T>(fn: (tx: VolumeStore) => Promise<T>): Promise<T> {
    return this.deps.db.transaction().execute((trx) => fn(new VolumeStore({ ...this.deps, db: trx })));
  }

  /**
   * Takes the volume's row lock until the transaction ends, so that operations on one volume's
   * attachments run one after the other. SQLite needs none: its transactions already run alone.
   */
  async lockVolume(volumeId: string): Promise<void> {
    if (this.deps.dialect !== 'postgres') return;
    await this.deps.db.selectFrom('volumes').select('id').where('id', '=', volumeId).forUpdate().execute();
  }
}
