import type { FastifyInstance } from 'fastify';
import { TesseraError } from '../common/errors.js';
import { compileValidator } from '../api/validation/validator.js';
import type { ImageClient } from './image-client.js';
import { imageIdParam } from './image-id-param.js';
import { requestMediaType } from './request-media-type.js';
import { UploadHeaders } from './image-request-schemas.js';

const OCTET_STREAM = 'application/octet-stream';
const validateUploadHeaders = compileValidator(UploadHeaders, 'query');

/**
 * `PUT /v2/images/{id}/file` (upload, streamed: the body is never buffered) and
 * `GET /v2/images/{id}/file` (download with `Content-MD5`, or 204 when the image has no data).
 */
export function registerImageDataRoutes(app: FastifyInstance, deps: { images: ImageClient }): void {
  // The raw request stream becomes the body: the handler reads it, after authentication.
  app.addContentTypeParser(OCTET_STREAM, (_request, payload, done) => done(null, payload));

  app.put<{ Params: { id: string } }>('/v2/images/:id/file', async (request, reply) => {
    const id = imageIdParam(request.params.id);
    const type = requestMediaType(request);
    if (type !== OCTET_STREAM) {
      throw new TesseraError('image.unsupported_media_type', 415, `Content type ${type ?? '(none)'} is not supported; image data must be sent as ${OCTET_STREAM}.`);
    }
    const headers = validateUploadHeaders(request.headers);
    const size = headers['x-openstack-image-size'] ?? headers['content-length'];
    const data = (request.body ?? emptyData()) as AsyncIterable<Uint8Array>;
    await deps.images.upload(request.ctx, id, data, size === undefined ? {} : { size });
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/v2/images/:id/file', async (request, reply) => {
    const data = await deps.images.download(request.ctx, imageIdParam(request.params.id));
    if (data === undefined) return reply.status(204).send();
    reply.header('Content-Type', OCTET_STREAM).header('Content-Length', String(data.size));
    if (data.checksum !== null) reply.header('Content-MD5', data.checksum);
    return reply.send(data.stream);
  });
}

async function* emptyData(): AsyncIterable<Uint8Array> {
  // An upload without a body stores an empty image, as Glance does.
}
