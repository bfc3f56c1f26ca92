// Shared set-up for the network service's tests: a service on an in-memory database, request
// contexts of an admin and members of two projects, and its routes behind fake tokens; no tests here.
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from '../api/app.js';
import type { Authenticator, Identity } from '../api/auth/authenticator.js';
import { ManualClock } from '../common/clock.js';
import { UnauthorizedError } from '../common/errors.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import { parseConfigText, type ConfigOverrides } from '../config/index.js';
import { allRuleDefaults, PolicyEngine } from '../policy/index.js';
import { networkRuleDefaults } from './network-policy-rules.js';
import { NetworkService } from './network-service.js';

export const ADMIN_PROJECT = 'admin-project';

const IDENTITIES: Record<string, Identity> = {
  admin: { userId: 'u-admin', projectId: ADMIN_PROJECT, roles: ['admin', 'member', 'reader'], isAdmin: true },
  alice: { userId: 'u-alice', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false },
  bob: { userId: 'u-bob', projectId: 'project-b', roles: ['member', 'reader'], isAdmin: false },
  carol: { userId: 'u-carol', projectId: 'project-a', roles: ['reader'], isAdmin: false },
};

/** The request context of one of the fake users: admin, alice and bob (members of projects a and b), carol (reader in a). */
export function ctxOf(user: keyof typeof IDENTITIES & string): RequestContext {
  const identity = IDENTITIES[user];
  if (identity === undefined) throw new Error(`no user ${user}`);
  return { ...identity, requestId: `req-${user}` };
}

export const ADMIN = ctxOf('admin');
export const ALICE = ctxOf('alice');
export const BOB = ctxOf('bob');
export const CAROL = ctxOf('carol');

class FakeAuthenticator implements Authenticator {
  authenticate(token: string): Promise<Identity> {
    const identity = IDENTITIES[token];
    if (identity === undefined) return Promise.reject(new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.'));
    return Promise.resolve(identity);
  }
}

/** A logger whose lines the test can read. */
export function recordingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines: () => lines };
}

export interface NetworkHarness {
  service: NetworkService;
  faults: FaultInjector;
  clock: ManualClock;
  logLines: () => Record<string, unknown>[];
  close(): Promise<void>;
}

/** A network service on a fresh database (in memory unless `databaseUrl` says otherwise). */
export async function startNetwork(options: { databaseUrl?: string; config?: ConfigOverrides } = {}): Promise<NetworkHarness> {
  const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...networkRuleDefaults] });
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const faults = new FaultInjector();
  const { logger, lines } = recordingLogger();
  const service = await NetworkService.create({
    config: parseConfigText('', 'test', options.config),
    clock,
    ids: new RandomIdGenerator(),
    logger,
    policy,
    defaultNetworkProjectId: ADMIN_PROJECT,
    faults,
    databaseUrl: options.databaseUrl ?? 'sqlite://',
  });
  return { service, faults, clock, logLines: lines, close: () => service.close() };
}

export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RouteHarness extends NetworkHarness {
  app: FastifyInstance;
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string | null, body?: unknown): Promise<CallResult>;
}

/** The service's routes mounted at `/network` of an app whose tokens are the fake users' names. */
export async function startNetworkRoutes(options: { databaseUrl?: string } = {}): Promise<RouteHarness> {
  const harness = await startNetwork(options);
  const app = await buildApp({ logger: pino({ level: 'silent' }), ids: new RandomIdGenerator(), authenticator: new FakeAuthenticator(), modules: [harness.service.module()] });
  return {
    ...harness,
    app,
    async call(method, url, token, body) {
      const res = await app.inject({
        method,
        url: `/network${url}`,
        headers: { ...(token === null ? {} : { 'x-auth-token': token }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
    },
    async close() {
      await app.close();
      await harness.close();
    },
  };
}
