import type { RequestContext } from '../common/request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every route that is not public. */
    ctx: RequestContext;
    /** The negotiated compute microversion, on compute routes. */
    microversion: { major: number; minor: number; text: string };
  }
  interface FastifyContextConfig {
    /** Routes that answer without a token (version documents, token issue). */
    public?: boolean;
  }
}

export {};
