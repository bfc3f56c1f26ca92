import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiModule } from '../api/app.js';
import { compileValidator } from '../api/validation/validator.js';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../common/errors.js';
import { AuthRequestBody } from './auth-request-body.js';
import type { IdentityDirectory } from './identity-directory.js';
import { registerProjectRoutes } from './project-routes.js';
import type { ServiceCatalog } from './service-catalog.js';
import { tokenBody } from './token-body.js';
import type { TokenInfo, TokenService } from './token-service.js';
import { identityVersion } from './version-document.js';

export interface IdentityRoutesDeps {
  tokens: TokenService;
  catalog: ServiceCatalog;
  directory: IdentityDirectory;
}

const validateAuthBody = compileValidator(AuthRequestBody, 'body');

/**
 * The Keystone v3 surface that OpenStack clients call, under `/identity`: version discovery and
 * `/v3/auth/tokens` (issue, validate, revoke), and reading projects (`/v3/projects`), which the
 * clients' `--project` name options and `openstack quota set <project>` resolve through. Links and catalog URLs are built from the address
 * the client reached the server by.
 *
 * @example
 * const app = await buildApp({ logger, ids, authenticator: identity, modules: [identityModule({ tokens, catalog, directory })] });
 */
export function identityModule(deps: IdentityRoutesDeps): ApiModule {
  return {
    prefix: '/identity',
    face: 'identity',
    register(app: FastifyInstance) {
      app.get('/', { config: { public: true } }, async (request, reply) => {
        return reply.status(300).send({ versions: { values: [identityVersion(baseUrlOf(request))] } });
      });

      app.get('/v3', { config: { public: true } }, async (request) => {
        return { version: identityVersion(baseUrlOf(request)) };
      });

      app.post('/v3/auth/tokens', { config: { public: true } }, async (request, reply) => {
        if (request.body === undefined || request.body === null) {
          throw new BadRequestError('identity.invalid_auth_request', 'The request body must be a JSON object with an "auth" member.');
        }
        const body = validateAuthBody(request.body);
        const { token, info } = await deps.tokens.issue(body.auth);
        return reply
          .status(201)
          .header('X-Subject-Token', token)
          .send(tokenBody(info, wantsCatalog(request) ? deps.catalog.build(baseUrlOf(request)) : undefined));
      });

      app.get('/v3/auth/tokens', async (request, reply) => {
        const { token, info } = await subjectToken(request, deps.tokens, 'identity:validate_token');
        return reply
          .header('X-Subject-Token', token)
          .send(tokenBody(info, wantsCatalog(request) ? deps.catalog.build(baseUrlOf(request)) : undefined));
      });

      app.delete('/v3/auth/tokens', async (request, reply) => {
        const { token } = await subjectToken(request, deps.tokens, 'identity:revoke_token');
        await deps.tokens.revoke(token);
        return reply.status(204).send();
      });

      registerProjectRoutes(app, { directory: deps.directory, baseUrl: baseUrlOf });
    },
  };
}

/** The scheme and host the client used, e.g. `http://127.0.0.1:8774`. */
function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function wantsCatalog(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return query?.['nocatalog'] === undefined;
}

/**
 * The token named by `X-Subject-Token`, checked like Keystone's default policy: an admin may
 * inspect any token, anyone else only their own.
 */
async function subjectToken(request: FastifyRequest, tokens: TokenService, action: string): Promise<{ token: string; info: TokenInfo }> {
  const header = request.headers['x-subject-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (token === undefined || token === '') throw new BadRequestError('identity.missing_subject_token', 'The X-Subject-Token header is required.');
  let info: TokenInfo;
  try {
    info = await tokens.validate(token);
  } catch (err) {
    if (err instanceof UnauthorizedError) throw new NotFoundError('identity.token_not_found', 'Could not find token.');
    throw err;
  }
  if (!request.ctx.isAdmin && request.ctx.userId !== info.user.id) {
    throw new ForbiddenError('identity.forbidden', `You are not authorized to perform the requested action: ${action}.`);
  }
  return { token, info };
}
