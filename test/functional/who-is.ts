/** The project and user ids behind a login of the test cloud's admin or member, from the token body. */
export async function whoIs(url: string, user: 'admin' | 'demo', password: string): Promise<{ projectId: string; userId: string }> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
        scope: { project: { name: user, domain: { name: 'Default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`login of ${user} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: { project: { id: string }; user: { id: string } } };
  return { projectId: body.token.project.id, userId: body.token.user.id };
}
