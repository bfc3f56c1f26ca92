import type { FastifyInstance } from 'fastify';
import { imageJsonSchema, imagesJsonSchema } from './image-json-schema.js';

/**
 * What clients look up before they act: the image schemas, and the interoperable import methods
 * (none: data is uploaded with `PUT /v2/images/{id}/file`).
 */
export function registerImageDiscoveryRoutes(app: FastifyInstance): void {
  app.get('/v2/schemas/image', async () => imageJsonSchema());
  app.get('/v2/schemas/images', async () => imagesJsonSchema());
  app.get('/v2/info/import', async () => ({
    'import-methods': { description: 'Import methods available.', type: 'array', value: [] },
  }));
}
