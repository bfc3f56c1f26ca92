import { InternalError, TesseraError } from '../common/errors.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { AttachmentOperations } from './attachment-operations.js';
import type { AttachmentRecord } from './attachment-record.js';
import type { NewVolumeValues, Volume, VolumeAttachment, VolumeClient, VolumeConnector } from './volume-client.js';
import type { VolumeOperations } from './volume-operations.js';
import type { VolumeRecord } from './volume-record.js';
import type { AttachStatus, VolumeStatus } from './volume-status.js';

/** The fault point of every {@link VolumeClient} call, checked before the call does anything. */
export const CLIENT_FAULT_POINTS = [
  'volume.get',
  'volume.create',
  'volume.delete',
  'volume.attachment_create',
  'volume.attachment_update',
  'volume.attachment_complete',
  'volume.attachment_delete',
  'volume.attachment_get',
  'volume.attachment_list',
] as const;
type FaultPoint = (typeof CLIENT_FAULT_POINTS)[number];

/**
 * The built-in volume service's `VolumeClient`: the same operations as the HTTP API, called in
 * process, with results in the compute side's shape. Each call first passes its fault point, so a
 * test can fail any one external call Nova makes to Cinder; failures are logged with the request
 * and resource they concern.
 */
export class LocalVolumeClient implements VolumeClient {
  constructor(private readonly deps: { volumes: VolumeOperations; attachments: AttachmentOperations; faults?: FaultInjector | undefined; logger: Logger }) {}

  get(ctx: RequestContext, volumeId: string): Promise<Volume> {
    return this.call('volume.get', ctx, { volume_id: volumeId }, async () => this.toVolume(await this.deps.volumes.get(ctx, volumeId)));
  }

  create(ctx: RequestContext, values: NewVolumeValues): Promise<Volume> {
    return this.call('volume.create', ctx, { size: values.size }, async () => {
      const record = await this.deps.volumes.create(ctx, {
        size: values.size,
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.description === undefined ? {} : { description: values.description }),
        ...(values.imageRef === undefined ? {} : { imageRef: values.imageRef }),
        ...(values.availabilityZone === undefined ? {} : { availabilityZone: values.availabilityZone }),
        ...(values.metadata === undefined ? {} : { metadata: values.metadata }),
      });
      if (record.status === 'error') {
        throw new InternalError('volume.create_failed', `Volume ${record.id} could not be created; it is in error.`, { details: { volume_id: record.id } });
      }
      return this.toVolume(record);
    });
  }

  delete(ctx: RequestContext, volumeId: string): Promise<void> {
    return this.call('volume.delete', ctx, { volume_id: volumeId }, async () => {
      const left = await this.deps.volumes.delete(ctx, volumeId);
      if (left !== undefined) {
        throw new InternalError('volume.delete_failed', `Volume ${volumeId} could not be deleted; it is in ${left.status}.`, { details: { volume_id: volumeId } });
      }
    });
  }

  attachmentCreate(ctx: RequestContext, volumeId: string, instanceUuid: string, connector?: VolumeConnector): Promise<VolumeAttachment> {
    return this.call('volume.attachment_create', ctx, { volume_id: volumeId, instance_uuid: instanceUuid }, async () =>
      toAttachment(await this.deps.attachments.create(ctx, { volumeId, instanceUuid, ...(connector === undefined ? {} : { connector }) })),
    );
  }

  attachmentUpdate(ctx: RequestContext, attachmentId: string, connector: VolumeConnector): Promise<VolumeAttachment> {
    return this.call('volume.attachment_update', ctx, { attachment_id: attachmentId, host: connector.host }, async () =>
      toAttachment(await this.deps.attachments.update(ctx, attachmentId, connector)),
    );
  }

  attachmentComplete(ctx: RequestContext, attachmentId: string): Promise<void> {
    return this.call('volume.attachment_complete', ctx, { attachment_id: attachmentId }, async () => {
      await this.deps.attachments.complete(ctx, attachmentId);
    });
  }

  attachmentDelete(ctx: RequestContext, attachmentId: string): Promise<void> {
    return this.call('volume.attachment_delete', ctx, { attachment_id: attachmentId }, async () => {
      await this.deps.attachments.delete(ctx, attachmentId);
    });
  }

  attachmentGet(ctx: RequestContext, attachmentId: string): Promise<VolumeAttachment> {
    return this.call('volume.attachment_get', ctx, { attachment_id: attachmentId }, async () => toAttachment(await this.deps.attachments.get(ctx, attachmentId)));
  }

  attachmentList(ctx: RequestContext, filter: { instanceUuid?: string; volumeId?: string }): Promise<VolumeAttachment[]> {
    const context = { ...(filter.instanceUuid === undefined ? {} : { instance_uuid: filter.instanceUuid }), ...(filter.volumeId === undefined ? {} : { volume_id: filter.volumeId }) };
    return this.call('volume.attachment_list', ctx, context, async () => {
      const page = await this.deps.attachments.list(ctx, { allTenants: ctx.isAdmin, ...filter });
      return page.attachments.map(toAttachment);
    });
  }

  private async call<T>(point: FaultPoint, ctx: RequestContext, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    try {
      this.deps.faults?.check(point);
      return await fn();
    } catch (err) {
      const log = this.deps.logger.child({ request_id: ctx.requestId, project_id: ctx.projectId, ...context });
      const code = err instanceof TesseraError ? err.code : undefined;
      if (err instanceof TesseraError && err.status < 500) log.info({ call: point, code, message: err.message }, 'volume call refused');
      else log.error({ call: point, code, err }, 'volume call failed');
      throw err;
    }
  }

  private async toVolume(record: VolumeRecord): Promise<Volume> {
    const attachments = (await this.deps.volumes.attachmentsOf([record.id])).get(record.id) ?? [];
    return {
      id: record.id,
      name: record.name,
      description: record.description,
      size: record.size,
      status: record.status as VolumeStatus,
      availabilityZone: record.availability_zone,
      bootable: record.bootable,
      multiattach: record.multiattach,
      projectId: record.project_id,
      userId: record.user_id,
      imageId: record.image_id,
      imageMetadata: record.image_metadata,
      metadata: record.metadata,
      attachments: attachments.map((a) => ({
        attachmentId: a.id,
        instanceUuid: a.instance_uuid,
        status: a.attach_status as AttachStatus,
        host: a.attached_host,
        mountpoint: a.mountpoint,
      })),
      createdAt: record.created_at,
      updatedAt: record.updated_at,
    };
  }
}

/** Nova's translation of Cinder's flat connection info: `driver_volume_type` beside the rest as `data`. */
function toAttachment(a: AttachmentRecord): VolumeAttachment {
  let connectionInfo = null;
  if (a.connection_info !== null) {
    const { driver_volume_type: type, ...data } = a.connection_info;
    connectionInfo = { driver_volume_type: String(type), data };
  }
  return {
    id: a.id,
    volumeId: a.volume_id,
    instanceUuid: a.instance_uuid,
    status: a.attach_status as AttachStatus,
    attachMode: a.attach_mode,
    host: a.attached_host,
    mountpoint: a.mountpoint,
    connectionInfo,
    attachedAt: a.attach_time,
  };
}
