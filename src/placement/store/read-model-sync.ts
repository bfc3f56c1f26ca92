import type { Database } from '../../db/connection.js';
import type { Logger } from '../../common/logger.js';
import type { PlacementReadModel } from '../model/placement-read-model.js';
import type { ProviderChange } from '../model/provider-change.js';
import type { ProviderState } from '../model/provider-state.js';
import type { PlacementSchema } from '../placement-schema.js';
import { inReadSnapshot } from './placement-database.js';
import { loadProviders } from './provider-loader.js';

/**
 * Keeps the read model in step with the database: a full load at start, committed changes of
 * this process applied in place when the model holds the generation they started from, and a
 * reload of the providers concerned whenever it does not (another process wrote, or a write of
 * this one overtook another) or a write failed on a generation or capacity conflict.
 */
/** What one committed write did, as a follower hears it (see `ReadModelSync.follow`). */
export interface CommittedWrite {
  changes: readonly ProviderChange[];
  /** Providers created, renamed or deleted: another model reads them again. */
  touched: readonly string[];
}

export class ReadModelSync {
  constructor(private readonly deps: { database: Database<PlacementSchema>; model: PlacementReadModel; logger: Logger }) {}

  async loadAll(): Promise<number> {
    const states = await inReadSnapshot(this.deps.database, (trx) => loadProviders(trx, { all: true }));
    for (const s of states) this.deps.model.upsert(s);
    return states.length;
  }

  /**
   * Re-reads the given providers; those gone from the database leave the model. A fresh state
   * replaces the held one unless that is newer (a rename keeps the generation, and is taken).
   */
  async reload(uuids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(uuids)];
    if (wanted.length === 0) return;
    const states = await inReadSnapshot(this.deps.database, (trx) => loadProviders(trx, { uuids: wanted }));
    const found = new Set(states.map((s) => s.uuid));
    for (const s of states) this.deps.model.upsert(s);
    for (const uuid of wanted) if (!found.has(uuid)) this.deps.model.remove(uuid);
  }

  private readonly followers = new Set<(committed: CommittedWrite) => void>();

  /**
   * Calls `listener` with what each committed write of this process changed, so that another
   * process (or thread) with its own model can follow; returns how to stop.
   */
  follow(listener: (committed: CommittedWrite) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  /**
   * Applies what a committed transaction did (reloading the providers it cannot apply exactly),
   * then tells the followers, with `touched`: providers created, renamed or deleted, which
   * another model must read again.
   */
  async commit(changes: readonly ProviderChange[], touched: readonly string[] = []): Promise<void> {
    try {
      await this.applyOrReload(changes);
    } finally {
      for (const follower of this.followers) {
        try {
          follower({ changes, touched });
        } catch (err) {
          this.deps.logger.error({ err }, 'a follower of the placement read model could not be told of a write');
        }
      }
    }
  }

  /**
   * Applies what another process committed (as its `follow` told), without telling this one's
   * followers: a change that does not fit the held generation reloads the provider, one for a
   * provider not held yet loads it, and the touched providers are read again (a deleted one leaves).
   */
  async applyPeer(committed: CommittedWrite): Promise<void> {
    await this.applyOrReload(committed.changes);
    const changed = new Set(committed.changes.map((c) => c.uuid));
    await this.reload(committed.touched.filter((uuid) => !changed.has(uuid)));
  }

  private async applyOrReload(changes: readonly ProviderChange[]): Promise<void> {
    const stale: string[] = [];
    for (const change of changes) if (this.deps.model.apply(change) === 'stale') stale.push(change.uuid);
    if (stale.length > 0) {
      this.deps.logger.debug({ providers: stale.length }, 'placement read model behind the database; reloading providers');
      await this.reload(stale);
    }
  }

  /** The provider from the model, or from the database if this process has not seen it yet. */
  async find(uuid: string): Promise<ProviderState | undefined> {
    const known = this.deps.model.get(uuid);
    if (known !== undefined) return known;
    await this.reload([uuid]);
    return this.deps.model.get(uuid);
  }

  async findByName(name: string): Promise<ProviderState | undefined> {
    const known = this.deps.model.getByName(name);
    if (known !== undefined) return known;
    const states = await inReadSnapshot(this.deps.database, (trx) => loadProviders(trx, { names: [name] }));
    for (const s of states) this.deps.model.upsert(s);
    return this.deps.model.getByName(name);
  }
}
