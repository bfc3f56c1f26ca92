/**
 * A minimal client of the cloud's HTTP API for the benchmarks (benches do not import from test/):
 * one user's token, an optional compute microversion, JSON in and out.
 */

export interface HttpResult<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
}

export class ApiClient {
  constructor(readonly baseUrl: string, readonly token: string, private readonly microversion: string | undefined) {}

  withMicroversion(mv: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, this.token, mv);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const h: Record<string, string> = { 'X-Auth-Token': this.token, Accept: 'application/json', ...headers };
    if (this.microversion !== undefined) h['OpenStack-API-Version'] = `compute ${this.microversion}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  get<T = any>(path: string): Promise<HttpResult<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown): Promise<HttpResult<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('POST', path, body);
  }

  delete<T = any>(path: string): Promise<HttpResult<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('DELETE', path);
  }
}

/** A project-scoped token through the identity API. */
export async function login(url: string, user: string, password: string, project: string): Promise<string> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
        scope: { project: { name: project, domain: { name: 'Default' } } },
      },
    }),
  });
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || token === null) throw new Error(`login of ${user} failed: ${res.status} ${await res.text()}`);
  return token;
}
