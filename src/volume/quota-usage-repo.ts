import { sql, type Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import type { VolumeSchema } from './volume-schema.js';

/** What a project holds. */
export interface VolumeUsage {
  volumes: number;
  gigabytes: number;
}

/** Limits on a project; -1 is unlimited. */
export interface VolumeQuotaLimits {
  volumes: number;
  gigabytes: number;
}

/**
 * Per-project usage counters, changed in the same transaction as the volumes they count.
 * A reservation is one conditional UPDATE (`... WHERE volumes + 1 <= limit`), so concurrent
 * creators can never take a project past its quota, in either dialect.
 */
export class QuotaUsageRepo {
  constructor(private readonly deps: { db: Kysely<VolumeSchema>; clock: Clock }) {}

  async usage(projectId: string): Promise<VolumeUsage> {
    const row = await this.deps.db.selectFrom('volume_quota_usages').select(['volumes', 'gigabytes']).where('project_id', '=', projectId).executeTakeFirst();
    return { volumes: Number(row?.volumes ?? 0), gigabytes: Number(row?.gigabytes ?? 0) };
  }

  /**
   * Adds one volume of `gigabytes` to the project's usage if that stays within `limits`.
   * @returns true when reserved; false (and nothing changed) when over a limit.
   */
  async reserve(projectId: string, gigabytes: number, limits: VolumeQuotaLimits): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('volume_quota_usages')
      .values({ project_id: projectId, volumes: 0, gigabytes: 0, updated_at: now })
      .onConflict((oc) => oc.column('project_id').doNothing())
      .execute();
    let q = this.deps.db
      .updateTable('volume_quota_usages')
      .set({ volumes: sql`volumes + 1`, gigabytes: sql`gigabytes + ${gigabytes}`, updated_at: now })
      .where('project_id', '=', projectId);
    if (limits.volumes >= 0) q = q.where(sql<boolean>`volumes + 1 <= ${limits.volumes}`);
    if (limits.gigabytes >= 0) q = q.where(sql<boolean>`gigabytes + ${gigabytes} <= ${limits.gigabytes}`);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Gives back one volume of `gigabytes` (never below zero). */
  async release(projectId: string, gigabytes: number): Promise<void> {
    await this.deps.db
      .updateTable('volume_quota_usages')
      .set({
        volumes: sql`case when volumes > 0 then volumes - 1 else 0 end`,
        gigabytes: sql`case when gigabytes > ${gigabytes} then gigabytes - ${gigabytes} else 0 end`,
        updated_at: this.deps.clock.now().toISOString(),
      })
      .where('project_id', '=', projectId)
      .execute();
  }
}
