import { UnauthorizedError } from '../../common/errors.js';
import type { Authenticator, Identity } from './authenticator.js';

/**
 * Development shortcut, as Nova's noauth2: the token `user:project` is believed as it stands, and the
 * user `admin` gets the admin role. Only active when `[api] auth_strategy = noauth2`, which the
 * start-up output announces.
 */
export class NoAuthAuthenticator implements Authenticator {
  authenticate(token: string): Promise<Identity> {
    const [userId, projectId] = token.split(':');
    if (userId === undefined || userId === '') throw new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.');
    const isAdmin = userId === 'admin';
    return Promise.resolve({ userId, projectId: projectId ?? userId, roles: isAdmin ? ['admin', 'member', 'reader'] : ['member', 'reader'], isAdmin });
  }
}
