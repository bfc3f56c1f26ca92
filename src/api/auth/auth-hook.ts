import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../common/errors.js';
import type { Authenticator } from './authenticator.js';

/**
 * Authenticates every request except routes marked public: the token must be valid and unexpired,
 * and the request gets its context (who, which project, which roles) for policy checks.
 */
export function authHook(authenticator: Authenticator) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.routeOptions.config.public === true) return;
    const header = request.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (token === undefined || token === '') {
      throw new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.');
    }
    const identity = await authenticator.authenticate(token);
    request.ctx = { ...identity, requestId: request.id };
  };
}
