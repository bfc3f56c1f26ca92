import type { FastifyInstance } from 'fastify';
import { BadRequestError, TesseraError } from '../common/errors.js';
import { compileValidator } from '../api/validation/validator.js';
import type { ImageClient } from './image-client.js';
import { imageIdParam } from './image-id-param.js';
import { requestMediaType } from './request-media-type.js';
import { checkPatchablePath, type ImagePatchOperation } from './image-patch.js';
import { CreateImageBody, PATCH_MEDIA_TYPES, PatchBodyV20, PatchBodyV21 } from './image-request-schemas.js';

const validateV21 = compileValidator(PatchBodyV21, 'body');
const validateV20 = compileValidator(PatchBodyV20, 'body');
// A changed value is checked as a one-key image, as Glance does: core keys by their schema,
// any other key as a string property.
const validateValue = compileValidator(CreateImageBody, 'body');

/**
 * `PATCH /v2/images/{id}` in both JSON-patch media types (`openstack image set` sends v2.1), and
 * the admin actions `POST /v2/images/{id}/actions/deactivate|reactivate` (204).
 */
export function registerImageUpdateRoutes(app: FastifyInstance, deps: { images: ImageClient }): void {
  app.addContentTypeParser(Object.keys(PATCH_MEDIA_TYPES), { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(new BadRequestError('image.malformed_json', 'Malformed JSON in request body.'), undefined);
    }
  });

  app.patch<{ Params: { id: string } }>('/v2/images/:id', async (request, reply) => {
    const id = imageIdParam(request.params.id);
    const draft = PATCH_MEDIA_TYPES[requestMediaType(request) ?? ''];
    if (draft === undefined) {
      const allowed = Object.keys(PATCH_MEDIA_TYPES).sort().join(', ');
      reply.header('Accept-Patch', allowed);
      throw new TesseraError('image.unsupported_media_type', 415, `Image PATCH expects Content-Type one of: ${allowed}`);
    }
    const image = await deps.images.update(request.ctx, id, parseOperations(request.body, draft));
    return reply.status(200).send(image);
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post<{ Params: { id: string } }>(`/v2/images/:id/actions/${action}`, async (request, reply) => {
      await deps.images[action](request.ctx, imageIdParam(request.params.id));
      return reply.status(204).send();
    });
  }
}

/** Validates the body and turns each change into an operation on one attribute. */
function parseOperations(body: unknown, draft: 4 | 10): ImagePatchOperation[] {
  if (!Array.isArray(body)) throw new BadRequestError('image.bad_patch', 'Request body must be a JSON array of operation objects.');
  const raw: { op: ImagePatchOperation['op']; pointer: string; change: Record<string, unknown> }[] =
    draft === 10
      ? validateV21(body).map((c) => ({ op: c.op, pointer: c.path, change: c as Record<string, unknown> }))
      : validateV20(body).map((c) => {
          const op = (['add', 'remove', 'replace'] as const).find((k) => k in c) as ImagePatchOperation['op'];
          return { op, pointer: (c as Record<string, string>)[op] as string, change: c as Record<string, unknown> };
        });
  return raw.map(({ op, pointer, change }) => {
    const path = decodePointer(pointer);
    checkPatchablePath(path);
    if (op === 'remove') return { op, path };
    if (!('value' in change)) throw new BadRequestError('image.bad_patch', `Operation "${op}" requires a member named "value".`);
    validateValue({ [path]: change['value'] });
    return { op, path, value: change['value'] };
  });
}

/** Glance's limited JSON pointer: one level below the image, `~1` for `/` and `~0` for `~`. */
function decodePointer(pointer: string): string {
  const bad = (why: string) => new BadRequestError('image.bad_pointer', `Pointer \`${pointer}\` ${why}.`);
  if (!pointer.startsWith('/')) throw bad('does not start with "/"');
  if (/~[^01]|~$/.test(pointer)) throw bad('contains "~" not part of a recognized escape sequence');
  const parts = pointer.slice(1).split('/');
  if (parts.some((p) => p.trim() === '')) throw bad('contains an empty token');
  if (parts.length !== 1) throw new BadRequestError('image.bad_pointer', `Invalid JSON pointer for this resource: '${pointer}'`);
  return (parts[0] as string).replaceAll('~1', '/').replaceAll('~0', '~').trim();
}
