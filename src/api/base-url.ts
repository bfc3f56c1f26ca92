import type { FastifyRequest } from 'fastify';

/** The scheme and authority the client used to reach us, for links in bodies. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
