import { BadRequestError, NotFoundError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { ImageLookup } from './image-source.js';
import type { PolicyEngine } from '../policy/index.js';
import type { AttachmentRecord } from './attachment-record.js';
import { resolveImageSource, type ImageSource } from './image-source.js';
import type { VolumeBackend } from './volume-backend.js';
import { VolumeErrors, VolumeOverLimitError } from './volume-errors.js';
import { absoluteLimits, volumeQuotaSet, type VolumeLimits, type VolumeQuotaUsage } from './volume-limits.js';
import { VolumeRule } from './volume-policy-rules.js';
import type { VolumeRecord } from './volume-record.js';
import type { VolumeChanges } from './volume-repo.js';
import type { SortDir, VolumeSortKey } from './volume-sort.js';
import { DELETABLE_STATUSES, orList } from './volume-status.js';
import type { VolumeStore } from './volume-store.js';
import { isDefaultVolumeType } from './volume-type.js';
import { listProject, viewerOf } from './volume-viewer.js';

export interface VolumeOperationsDeps {
  store: VolumeStore;
  backend: VolumeBackend;
  images: ImageLookup;
  policy: Pick<PolicyEngine, 'authorize' | 'check'>;
  ids: IdGenerator;
  logger: Logger;
  limits: VolumeLimits;
  /** The availability zone of every volume (`[cinder] storage_availability_zone`). */
  zone: string;
  /** The backend host recorded on volumes (`host@backend#pool`). */
  backendHost: string;
}

/** A create request; size is in GiB. */
export interface NewVolumeRequest {
  size: number;
  name?: string | null;
  description?: string | null;
  /** An image id, an image URL, or a unique image name. */
  imageRef?: string | null;
  availabilityZone?: string | null;
  metadata?: Record<string, string> | null;
  /** Only the default type (`__DEFAULT__`, by name or id) exists. */
  volumeType?: string | null;
}

export interface VolumeListRequest {
  allTenants?: boolean;
  projectId?: string;
  name?: string;
  status?: string;
  bootable?: boolean;
  availabilityZone?: string;
  limit?: number;
  marker?: string;
  sortKey?: VolumeSortKey;
  sortDir?: SortDir;
  /** Also count every match (Cinder's `with_count`, 3.45+). */
  withCount?: boolean;
}

export interface VolumeListResult {
  volumes: VolumeRecord[];
  more: boolean;
  count?: number;
}

/**
 * The volume half of the service's logic, shared by the HTTP routes and the in-process client:
 * visibility first (another project's volume is a 404), then the policy rule, then state checks,
 * then quota. Creation and deletion are synchronous: the backend step runs inside the call, and a
 * failing backend leaves the volume in `error` or `error_deleting` as Cinder's would.
 */
export class VolumeOperations {
  constructor(private readonly deps: VolumeOperationsDeps) {}

  /**
   * Creates a blank volume or one from an image; returns it `available`, or in `error` when the
   * backend failed (it still counts against quota until deleted, as in Cinder).
   *
   * @throws BadRequestError for a zone, type or image that does not fit; VolumeOverLimitError (413)
   *   `volume.over_quota` / `volume.size_limit` before anything is created.
   */
  async create(ctx: RequestContext, req: NewVolumeRequest): Promise<VolumeRecord> {
    const { store, policy, limits } = this.deps;
    policy.authorize(VolumeRule.create, ctx, { project_id: ctx.projectId });
    if (req.volumeType !== undefined && req.volumeType !== null && req.volumeType !== '' && !isDefaultVolumeType(req.volumeType)) {
      throw new NotFoundError('volume.type_not_found', `Volume type with name ${req.volumeType} could not be found.`);
    }
    if (!Number.isSafeInteger(req.size) || req.size < 1) {
      throw VolumeErrors.invalidSize(String(req.size));
    }
    const zone = req.availabilityZone ?? this.deps.zone;
    if (zone !== this.deps.zone) throw new BadRequestError('volume.invalid_zone', `Availability zone '${zone}' is invalid.`);
    if (limits.perVolumeGigabytes >= 0 && req.size > limits.perVolumeGigabytes) {
      throw new VolumeOverLimitError('volume.size_limit', `Requested volume size ${req.size}G is larger than maximum allowed limit ${limits.perVolumeGigabytes}G.`);
    }
    let image: ImageSource | undefined;
    if (req.imageRef !== undefined && req.imageRef !== null) {
      policy.authorize(VolumeRule.createFromImage, ctx, { project_id: ctx.projectId });
      image = await resolveImageSource(this.deps.images, ctx, req.imageRef, req.size);
    }

    const id = this.deps.ids.uuid();
    const created = await store.transaction(async (tx) => {
      if (!(await tx.usages.reserve(ctx.projectId, req.size, limits))) throw overQuota(req.size, limits, await tx.usages.usage(ctx.projectId));
      return tx.volumes.create({
        id,
        project_id: ctx.projectId,
        user_id: ctx.userId,
        size: req.size,
        status: 'creating',
        availability_zone: zone,
        host: this.deps.backendHost,
        name: req.name ?? null,
        description: req.description ?? null,
        bootable: image !== undefined,
        image_id: image?.id ?? null,
        image_metadata: image?.metadata ?? {},
        metadata: req.metadata ?? {},
      });
    });
    const log = this.log(ctx, id);
    try {
      await this.deps.backend.createVolume(created);
    } catch (err) {
      log.error({ err }, 'the backend failed to create the volume; it is left in error');
      await store.volumes.compareAndSetStatus(id, ['creating'], 'error');
      return store.volumes.get(id);
    }
    await store.volumes.compareAndSetStatus(id, ['creating'], 'available');
    log.info({ size: req.size, image_id: image?.id ?? null }, 'volume created');
    return store.volumes.get(id);
  }

  /** @throws NotFoundError `volume.not_found` when missing or another project's. */
  async get(ctx: RequestContext, id: string): Promise<VolumeRecord> {
    const volume = await this.deps.store.volumes.get(id, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize(VolumeRule.get, ctx, { project_id: volume.project_id });
    return volume;
  }

  async list(ctx: RequestContext, req: VolumeListRequest = {}): Promise<VolumeListResult> {
    this.deps.policy.authorize(VolumeRule.getAll, ctx, { project_id: ctx.projectId });
    const projectId = listProject(ctx, req.allTenants, req.projectId);
    const filters = {
      ...(projectId === undefined ? {} : { projectId }),
      ...(req.name === undefined ? {} : { name: req.name }),
      ...(req.status === undefined ? {} : { status: req.status }),
      ...(req.bootable === undefined ? {} : { bootable: req.bootable }),
      ...(req.availabilityZone === undefined ? {} : { availabilityZone: req.availabilityZone }),
    };
    const page = await this.deps.store.volumes.list({
      ...filters,
      ...(req.limit === undefined ? {} : { limit: req.limit }),
      ...(req.marker === undefined ? {} : { marker: req.marker }),
      ...(req.sortKey === undefined ? {} : { sortKey: req.sortKey }),
      ...(req.sortDir === undefined ? {} : { sortDir: req.sortDir }),
    });
    if (req.withCount !== true) return page;
    return { ...page, count: await this.deps.store.volumes.count(filters) };
  }

  /** Changes name, description or metadata (metadata is replaced as a whole). */
  async update(ctx: RequestContext, id: string, changes: VolumeChanges): Promise<VolumeRecord> {
    const volume = await this.deps.store.volumes.get(id, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize(VolumeRule.update, ctx, { project_id: volume.project_id });
    return this.deps.store.volumes.update(volume.id, changes);
  }

  /**
   * Deletes a volume that is available or in error and has no attachment, and gives back its
   * quota. @returns undefined once deleted, or the volume left in `error_deleting` when the
   * backend failed (deleting it again retries).
   *
   * @throws BadRequestError `volume.invalid_state` for an attached or busy volume (nothing changes).
   */
  async delete(ctx: RequestContext, id: string): Promise<VolumeRecord | undefined> {
    const { store } = this.deps;
    const volume = await store.volumes.get(id, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize(VolumeRule.delete, ctx, { project_id: volume.project_id });
    // The status swap is the guard: attachments only exist on volumes that are not deletable.
    if (!(await store.volumes.compareAndSetStatus(volume.id, DELETABLE_STATUSES, 'deleting'))) {
      const now = await store.volumes.get(volume.id);
      const attached = (await store.attachments.ofVolume(volume.id)).length > 0;
      throw VolumeErrors.invalidVolume(
        `Volume status must be ${orList(DELETABLE_STATUSES)} and must not be attached; volume ${volume.id} is ${now.status}${attached ? ' and has attachments' : ''}.`,
        { volume_id: volume.id, status: now.status },
      );
    }
    const log = this.log(ctx, volume.id);
    try {
      await this.deps.backend.deleteVolume(volume);
    } catch (err) {
      log.error({ err }, 'the backend failed to delete the volume; it is left in error_deleting');
      await store.volumes.compareAndSetStatus(volume.id, ['deleting'], 'error_deleting');
      return store.volumes.get(volume.id);
    }
    await store.transaction(async (tx) => {
      if (await tx.volumes.softDelete(volume.id)) await tx.usages.release(volume.project_id, volume.size);
    });
    log.info('volume deleted');
    return undefined;
  }

  /**
   * Cinder's absolute limits of the caller's project, or of `projectId` for an admin; usage is
   * shown when `limits_extension:used_limits` allows it.
   */
  async limits(ctx: RequestContext, projectId?: string): Promise<Record<string, number>> {
    const target = ctx.isAdmin && projectId !== undefined ? projectId : ctx.projectId;
    const showUsage = this.deps.policy.check(VolumeRule.usedLimits, ctx, { project_id: target });
    return absoluteLimits(this.deps.limits, showUsage ? await this.deps.store.usages.usage(target) : undefined);
  }

  /**
   * Cinder's quota set of a project (`os-quota-sets`, read only), with usage when asked. Readers
   * of the project and administrators may see it (Cinder's `volume_extension:quotas:show`).
   */
  async quotaSet(ctx: RequestContext, projectId: string, withUsage: boolean): Promise<Record<string, number | VolumeQuotaUsage>> {
    this.deps.policy.authorize(VolumeRule.quotasShow, ctx, { project_id: projectId });
    return volumeQuotaSet(this.deps.limits, withUsage ? await this.deps.store.usages.usage(projectId) : undefined);
  }

  /** The volume availability zones (there is one). */
  zones(ctx: RequestContext): string[] {
    this.deps.policy.authorize(VolumeRule.availabilityZoneList, ctx, { project_id: ctx.projectId });
    return [this.deps.zone];
  }

  /** The live attachments of the given volumes, for rendering them. */
  attachmentsOf(volumeIds: readonly string[]): Promise<Map<string, AttachmentRecord[]>> {
    return this.deps.store.attachments.ofVolumes(volumeIds);
  }

  /** Whether the caller may see the owner and the backend host of volumes (Cinder's extension attributes). */
  extraAttributes(ctx: RequestContext, volume: VolumeRecord): { tenant: boolean; host: boolean } {
    const target = { project_id: volume.project_id };
    return { tenant: this.deps.policy.check(VolumeRule.tenantAttribute, ctx, target), host: this.deps.policy.check(VolumeRule.hostAttribute, ctx, target) };
  }

  private log(ctx: RequestContext, volumeId: string): Logger {
    return this.deps.logger.child({ request_id: ctx.requestId, project_id: ctx.projectId, volume_id: volumeId });
  }
}

/** Cinder's order: gigabytes first, then the number of volumes. */
function overQuota(size: number, limits: VolumeLimits, usage: { volumes: number; gigabytes: number }): VolumeOverLimitError {
  if (limits.gigabytes >= 0 && usage.gigabytes + size > limits.gigabytes) {
    return new VolumeOverLimitError(
      'volume.over_quota',
      `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${size}G, quota is ${limits.gigabytes}G and ${usage.gigabytes}G has been consumed.`,
      { resource: 'gigabytes', requested: size, quota: limits.gigabytes, consumed: usage.gigabytes },
    );
  }
  return new VolumeOverLimitError('volume.over_quota', `Maximum number of volumes allowed (${limits.volumes}) exceeded for quota 'volumes'.`, {
    resource: 'volumes',
    quota: limits.volumes,
    consumed: usage.volumes,
  });
}
