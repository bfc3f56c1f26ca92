import { authenticate } from '../fixtures/api-client.js';

/** The project and user ids behind a login of the test cloud's admin or member, from the token body. */
export async function whoIs(url: string, user: 'admin' | 'demo', password: string): Promise<{ projectId: string; userId: string }> {
  const { body } = await authenticate(url, user, password, user);
  const { token } = body as { token: { project: { id: string }; user: { id: string } } };
  return { projectId: token.project.id, userId: token.user.id };
}
