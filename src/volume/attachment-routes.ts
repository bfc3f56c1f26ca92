import type { FastifyInstance, FastifyRequest } from 'fastify';
import { atLeast } from '../api/microversion.js';
import { compileValidator } from '../api/validation/validator.js';
import { BadRequestError } from '../common/errors.js';
import type { AttachmentOperations } from './attachment-operations.js';
import type { VolumeConnector } from './volume-client.js';
import {
  AttachmentActionBody,
  CreateAttachmentBody,
  CreateAttachmentBodyWithMode,
  ListAttachmentsQuery,
  UpdateAttachmentBody,
} from './attachment-request-schemas.js';
import { attachmentDetail, attachmentSummary } from './attachment-view.js';
import { VolumeVersion, requireVolumeVersion } from './volume-microversion.js';
import { boolWord } from './volume-request-schemas.js';
import { canonicalUuid, queryOf, viewContext, type VolumeRouteDeps } from './volume-route-context.js';

const validateCreate = compileValidator(CreateAttachmentBody, 'body');
const validateCreateWithMode = compileValidator(CreateAttachmentBodyWithMode, 'body');
const validateUpdate = compileValidator(UpdateAttachmentBody, 'body');
const validateAction = compileValidator(AttachmentActionBody, 'body');
const validateList = compileValidator(ListAttachmentsQuery, 'query');

type Params = { Params: { id: string } };

/**
 * Cinder's attachment API: from 3.27 create (reserve, or connect at once with a connector),
 * list, detail, show, update (connect) and delete (detach, answering the attachments that
 * remain); from 3.44 `os-complete`. Below those versions the routes answer 404, as Cinder's do.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: VolumeRouteDeps & { attachments: AttachmentOperations }): void {
  const since = (request: FastifyRequest, version: string = VolumeVersion.attachments) => requireVolumeVersion(request.microversion, version);

  app.post('/attachments', async (request) => {
    since(request);
    const withMode = atLeast(request.microversion, VolumeVersion.attachMode);
    const { attachment: a } = (withMode ? validateCreateWithMode : validateCreate)(request.body);
    const mode = 'mode' in a ? a.mode : undefined;
    const created = await deps.attachments.create(request.ctx, {
      volumeId: canonicalUuid(a.volume_uuid),
      instanceUuid: a.instance_uuid === undefined ? null : canonicalUuid(a.instance_uuid),
      ...(a.connector === undefined || a.connector === null || Object.keys(a.connector).length === 0 ? {} : { connector: a.connector as VolumeConnector }),
      ...(mode === undefined ? {} : { mode }),
    });
    return { attachment: attachmentDetail(created) };
  });

  const list = (detail: boolean) => async (request: FastifyRequest) => {
    since(request);
    const query = queryOf(request);
    const q = validateList(query);
    const status = q.status ?? q.attach_status;
    const page = await deps.attachments.list(request.ctx, {
      ...(q.all_tenants === undefined ? {} : { allTenants: boolWord(q.all_tenants) }),
      ...(q.project_id === undefined ? {} : { projectId: q.project_id }),
      ...(q.volume_id === undefined ? {} : { volumeId: canonicalUuid(q.volume_id) }),
      ...(q.instance_id === undefined ? {} : { instanceUuid: canonicalUuid(q.instance_id) }),
      ...(status === undefined ? {} : { status }),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
      ...(q.marker === undefined ? {} : { marker: canonicalUuid(q.marker) }),
    });
    const body: Record<string, unknown> = { attachments: page.attachments.map(detail ? attachmentDetail : attachmentSummary) };
    const last = page.attachments[page.attachments.length - 1];
    if (page.more && last !== undefined) {
      const href = `${viewContext(request, deps).selfBase}/attachments${detail ? '/detail' : ''}?${new URLSearchParams({ ...query, marker: last.id }).toString()}`;
      body['attachments_links'] = [{ rel: 'next', href }];
    }
    return body;
  };
  app.get('/attachments', list(false));
  app.get('/attachments/detail', list(true));

  app.get<Params>('/attachments/:id', async (request) => {
    since(request);
    return { attachment: attachmentDetail(await deps.attachments.get(request.ctx, canonicalUuid(request.params.id))) };
  });

  app.put<Params>('/attachments/:id', async (request) => {
    since(request);
    const { attachment } = validateUpdate(request.body);
    const updated = await deps.attachments.update(request.ctx, canonicalUuid(request.params.id), attachment.connector as VolumeConnector);
    return { attachment: attachmentDetail(updated) };
  });

  app.delete<Params>('/attachments/:id', async (request) => {
    since(request);
    const remaining = await deps.attachments.delete(request.ctx, canonicalUuid(request.params.id));
    return { attachments: remaining.map(attachmentSummary) };
  });

  app.post<Params>('/attachments/:id/action', async (request, reply) => {
    since(request, VolumeVersion.attachmentComplete);
    const body = request.body;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const unknown = Object.keys(body).find((k) => k !== 'os-complete');
      if (unknown !== undefined) {
        throw new BadRequestError('volume.no_such_action', `There is no such action: ${unknown}. Verify the request body and Content-Type header and try again.`);
      }
    }
    validateAction(body);
    await deps.attachments.complete(request.ctx, canonicalUuid(request.params.id));
    return reply.status(204).send();
  });
}
