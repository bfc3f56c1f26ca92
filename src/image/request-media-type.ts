import type { FastifyRequest } from 'fastify';

/** The request's media type without parameters, lower-cased (`application/octet-stream`). */
export function requestMediaType(request: FastifyRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}
