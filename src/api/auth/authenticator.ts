import type { RequestContext } from '../../common/request-context.js';

/** The caller's identity as a token proves it; the request id is added by the API. */
export type Identity = Omit<RequestContext, 'requestId' | 'microversion'>;

/**
 * Turns an `X-Auth-Token` into an identity, or throws UnauthorizedError. The built-in identity
 * service implements it; an external Keystone client could too.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Identity>;
}
