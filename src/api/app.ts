import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BadRequestError, NotFoundError, TesseraError, asTesseraError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import { authHook } from './auth/auth-hook.js';
import type { Authenticator } from './auth/authenticator.js';
import { errorBody } from './error-body.js';
import './fastify-types.js';

export type ApiFace = 'compute' | 'identity' | 'image' | 'network' | 'placement' | 'volume';

/** A service's routes, mounted under a prefix of the one HTTP port. */
export interface ApiModule {
  prefix: string;
  face: ApiFace;
  register(app: FastifyInstance): Promise<void> | void;
}

export interface AppDeps {
  logger: Logger;
  ids: IdGenerator;
  authenticator: Authenticator;
  modules: ApiModule[];
}

/**
 * The HTTP front: one Fastify app serving every API under devstack-style prefixes. It gives each
 * request an id (echoed as x-openstack-request-id and x-compute-request-id), authenticates it,
 * and turns every error into the body shape of the API that was called.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // Requests are logged once, on response, by the hook below, with the request id and status.
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    genReqId: () => deps.ids.requestId(),
    requestIdHeader: false,
    bodyLimit: 10 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('microversion', null as never);

  // Clients send `Content-Type: application/json` on bodiless requests too (DELETE, some actions).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BadRequestError('api.malformed_json', 'Malformed request body'), undefined);
    }
  });

  const faceOf = (url: string): ApiFace => deps.modules.find((m) => url.startsWith(m.prefix))?.face ?? 'compute';

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-openstack-request-id', request.id);
    reply.header('x-compute-request-id', request.id);
  });
  app.addHook('preHandler', authHook(deps.authenticator));
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ request_id: request.id, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((error: FastifyError | TesseraError, request: FastifyRequest, reply: FastifyReply) => {
    const err = toTesseraError(error);
    const log = request.log.child({ request_id: request.id, ...(request.ctx ? { project_id: request.ctx.projectId } : {}) });
    if (err.status >= 500) {
      log.error({ err: error, code: err.code }, 'request failed');
      const hidden = new TesseraError(err.code, err.status, `Unexpected API Error. Please report this at your operator and attach the request id ${request.id}.`);
      return reply.status(err.status).send(errorBody(faceOf(request.url), err.code === 'internal.unexpected' ? hidden : err, request.id));
    }
    log.info({ code: err.code, status: err.status, message: err.message }, 'request refused');
    if (err.status === 401) reply.header('WWW-Authenticate', 'Keystone uri="/identity"');
    return reply.status(err.status).send(errorBody(faceOf(request.url), err, request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new NotFoundError('api.not_found', 'The resource could not be found.');
    return reply.status(404).send(errorBody(faceOf(request.url), err, request.id));
  });

  for (const module of deps.modules) await app.register(async (scope) => module.register(scope), { prefix: module.prefix });
  return app as unknown as FastifyInstance;
}

function toTesseraError(error: unknown): TesseraError {
  if (error instanceof TesseraError) return error;
  const fe = error as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    return new TesseraError(`http.${fe.code ?? 'client_error'}`, fe.statusCode, fe.message ?? 'Bad request');
  }
  return asTesseraError(error);
}
