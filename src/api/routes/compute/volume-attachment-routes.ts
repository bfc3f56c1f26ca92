import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { boolFromString } from '../../../compute-api/flavors/bool-from-string.js';
import { attachVolumeToServer } from '../../../compute-api/volume-attachments/attach-volume.js';
import { detachVolumeFromServer } from '../../../compute-api/volume-attachments/detach-volume.js';
import { listVolumeAttachments, pagingNumber, showVolumeAttachment } from '../../../compute-api/volume-attachments/list-volume-attachments.js';
import {
  attachVolumeBody, listVolumeAttachmentsQuery, type AttachVolumeBody, type ListVolumeAttachmentsQuery,
} from '../../../compute-api/volume-attachments/volume-attachment-schemas.js';
import { lastValues } from '../../validation/last-values.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { attachedVolumeView, volumeAttachmentView } from '../../views/volume-attachment-view.js';

// The body changes at 2.49 (tag) and 2.79 (delete_on_termination); the list query at 2.75.
const bodyValidators: [number, Validator<TSchema>][] = [79, 49, 1].map((minor) => [minor, compileValidator(attachVolumeBody(minor), 'body')]);
const queryValidators: [number, Validator<TSchema>][] = [75, 1].map((minor) => [minor, compileValidator(listVolumeAttachmentsQuery(minor), 'query')]);

function pick(validators: [number, Validator<TSchema>][], minor: number): Validator<TSchema> {
  return (validators.find(([from]) => minor >= from) ?? validators[validators.length - 1])?.[1] as Validator<TSchema>;
}

type ServerParams = { Params: { id: string } };
type AttachmentParams = { Params: { id: string; volumeId: string } };

/**
 * A server's volume attachments (`/servers/{id}/os-volume_attachments`): list, show, attach
 * (200 with the attachment, as Nova) and detach (202). Swapping a volume (PUT) is not served.
 */
export async function volumeAttachmentRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get<ServerParams>('/servers/:id/os-volume_attachments', async (request) => {
    const mv = request.microversion;
    const query = pick(queryValidators, mv.minor)(lastValues(request.query)) as ListVolumeAttachmentsQuery;
    const limit = pagingNumber('limit', query.limit);
    const offset = pagingNumber('offset', query.offset);
    const bdms = await listVolumeAttachments(deps, request.ctx, request.params.id, {
      ...(limit === undefined ? {} : { limit }),
      ...(offset === undefined ? {} : { offset }),
    });
    return { volumeAttachments: bdms.map((b) => volumeAttachmentView(mv, b)) };
  });

  app.get<AttachmentParams>('/servers/:id/os-volume_attachments/:volumeId', async (request) => {
    const bdm = await showVolumeAttachment(deps, request.ctx, request.params.id, request.params.volumeId);
    return { volumeAttachment: volumeAttachmentView(request.microversion, bdm) };
  });

  app.post<ServerParams>('/servers/:id/os-volume_attachments', async (request) => {
    const mv = request.microversion;
    const body = pick(bodyValidators, mv.minor)(request.body) as AttachVolumeBody;
    const a = body.volumeAttachment;
    const bdm = await attachVolumeToServer(deps, request.ctx, request.params.id, {
      volumeId: a.volumeId,
      ...(a.device === undefined ? {} : { device: a.device }),
      ...(a.tag === undefined ? {} : { tag: a.tag }),
      ...(a.delete_on_termination === undefined ? {} : { deleteOnTermination: boolFromString(a.delete_on_termination) === true }),
    }, mv.minor);
    return { volumeAttachment: attachedVolumeView(mv, bdm) };
  });

  app.delete<AttachmentParams>('/servers/:id/os-volume_attachments/:volumeId', async (request, reply) => {
    await detachVolumeFromServer(deps, request.ctx, request.params.id, request.params.volumeId, request.microversion.minor);
    return reply.status(202).send();
  });
}
