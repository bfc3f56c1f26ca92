import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { BadRequestError, UnauthorizedError } from '../common/errors.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { AuthRequest } from './auth-request-body.js';
import { IdentityDirectory } from './identity-directory.js';
import type { IdentitySchema } from './identity-schema.js';
import { identityMigrations } from './migrations.js';
import { hashToken } from './token-hash.js';
import { TokenRepo } from './token-repo.js';
import { TokenService } from './token-service.js';

const DEFAULT = { name: 'Default' };
const AUTH_REQUIRED = 'The request you have made requires authentication.';

function passwordAuth(user: string, password: string, project?: string): AuthRequest {
  return {
    identity: { methods: ['password'], password: { user: { name: user, domain: DEFAULT, password } } },
    ...(project === undefined ? {} : { scope: { project: { name: project, domain: DEFAULT } } }),
  };
}

function isUnauthorized(err: unknown): boolean {
  return err instanceof UnauthorizedError && err.status === 401 && err.message === AUTH_REQUIRED;
}

describe('TokenService', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const config = parseConfigText('', 'test', { identity: { admin_password: 'admin-pw', member_password: 'demo-pw', token_expiration: '600' } });
  let database: Database<IdentitySchema>;
  let directory: IdentityDirectory;
  let tokens: TokenService;

  before(async () => {
    database = openDatabase<IdentitySchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, identityMigrations);
    directory = await IdentityDirectory.create({ config, ids: new RandomIdGenerator(), persistCredentials: false });
    tokens = new TokenService({
      repo: new TokenRepo({ db: database.db, clock }),
      directory,
      clock,
      ids: new RandomIdGenerator(),
      logger: silentLogger(),
      expirationSeconds: config.identity.token_expiration,
    });
  });
  after(async () => database.close());

  it('issues a project-scoped token that validates to the same user, project and roles', async () => {
    const { token, info } = await tokens.issue(passwordAuth('admin', 'admin-pw', 'admin'));
    assert.equal(info.user.name, 'admin');
    assert.equal(info.project.name, 'admin');
    assert.deepEqual(info.methods, ['password']);
    assert.deepEqual(info.roles.map((r) => r.name), ['admin', 'member', 'reader']);
    assert.equal(info.issuedAt.toISOString(), '2026-11-24T10:00:00.000Z');
    assert.equal(info.expiresAt.toISOString(), '2026-11-24T10:10:00.000Z');
    assert.equal(info.auditIds.length, 1);
    const seen = await tokens.validate(token);
    assert.equal(seen.user.id, info.user.id);
    assert.equal(seen.project.id, info.project.id);
    assert.deepEqual(seen.roles, info.roles);
    assert.deepEqual(seen.auditIds, info.auditIds);
  });

  it('authenticates a user by id and scopes a project by id', async () => {
    const user = directory.findUser({ name: 'demo', domain: DEFAULT });
    const project = directory.findProject({ name: 'demo', domain: DEFAULT });
    assert.ok(user && project);
    const { info } = await tokens.issue({
      identity: { methods: ['password'], password: { user: { id: user.id, password: 'demo-pw' } } },
      scope: { project: { id: project.id } },
    });
    assert.equal(info.project.id, project.id);
    assert.deepEqual(info.roles.map((r) => r.name), ['member', 'reader']);
  });

  it('scopes a request without scope to the user default project', async () => {
    const { info } = await tokens.issue(passwordAuth('demo', 'demo-pw'));
    assert.equal(info.project.name, 'demo');
  });

  it('stores only the hash of the token', async () => {
    const { token } = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    const rows = await database.db.selectFrom('tokens').selectAll().execute();
    assert.ok(rows.some((r) => r.token_hash === hashToken(token)));
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    for (const row of rows) assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(token)), 'raw token stored');
  });

  it('refuses a token once it has expired, and purges it', async () => {
    const { token } = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    clock.advance(599_000);
    await tokens.validate(token);
    clock.advance(1_000);
    await assert.rejects(tokens.validate(token), (err: unknown) => isUnauthorized(err) && (err as UnauthorizedError).code === 'identity.invalid_token');
    const purged = await tokens.purgeExpired();
    assert.ok(purged >= 1);
    assert.equal(await database.db.selectFrom('tokens').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirst(), undefined);
  });

  it('refuses unknown and revoked tokens', async () => {
    await assert.rejects(tokens.validate('no-such-token'), isUnauthorized);
    const { token } = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    assert.equal(await tokens.revoke(token), true);
    await assert.rejects(tokens.validate(token), isUnauthorized);
    assert.equal(await tokens.revoke(token), false);
  });

  it('answers 401 with the same message for a wrong password, an unknown user or domain', async () => {
    await assert.rejects(tokens.issue(passwordAuth('admin', 'wrong', 'admin')), isUnauthorized);
    await assert.rejects(tokens.issue(passwordAuth('nobody', 'admin-pw', 'admin')), isUnauthorized);
    await assert.rejects(
      tokens.issue({ identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Elsewhere' }, password: 'admin-pw' } } } }),
      isUnauthorized,
    );
  });

  it('answers 401 for an unknown project or one the user is not a member of', async () => {
    await assert.rejects(tokens.issue(passwordAuth('admin', 'admin-pw', 'no-such-project')), isUnauthorized);
    await assert.rejects(tokens.issue(passwordAuth('demo', 'demo-pw', 'admin')), isUnauthorized);
  });

  it('answers 400 for a request that names a user without its domain, or lacks the method data', async () => {
    await assert.rejects(
      tokens.issue({ identity: { methods: ['password'], password: { user: { name: 'admin', password: 'admin-pw' } } } }),
      (err: unknown) => err instanceof BadRequestError && /domain in user/.test(err.message),
    );
    await assert.rejects(tokens.issue({ identity: { methods: ['password'] } }), BadRequestError);
    await assert.rejects(tokens.issue({ identity: { methods: ['token'] } }), BadRequestError);
    await assert.rejects(tokens.issue({ identity: { methods: ['totp'] } }), UnauthorizedError);
  });

  it('re-scopes a valid token with the token method, keeping its expiry and audit chain', async () => {
    const admin = await tokens.issue(passwordAuth('admin', 'admin-pw', 'admin'));
    clock.advance(60_000);
    const rescoped = await tokens.issue({ identity: { methods: ['token'], token: { id: admin.token } }, scope: { project: { name: 'admin', domain: DEFAULT } } });
    assert.notEqual(rescoped.token, admin.token);
    assert.deepEqual(rescoped.info.methods, ['token', 'password']);
    assert.equal(rescoped.info.user.id, admin.info.user.id);
    assert.equal(rescoped.info.expiresAt.getTime(), admin.info.expiresAt.getTime());
    assert.deepEqual(rescoped.info.auditIds.slice(1), admin.info.auditIds);
    assert.equal((await tokens.validate(rescoped.token)).project.name, 'admin');

    // Without a scope, the new token keeps the original project.
    const same = await tokens.issue({ identity: { methods: ['token'], token: { id: admin.token } } });
    assert.equal(same.info.project.id, admin.info.project.id);

    // The member cannot re-scope into a project it has no role on; bad tokens are refused.
    const demo = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    await assert.rejects(tokens.issue({ identity: { methods: ['token'], token: { id: demo.token } }, scope: { project: { name: 'admin', domain: DEFAULT } } }), isUnauthorized);
    await assert.rejects(tokens.issue({ identity: { methods: ['token'], token: { id: 'bogus' } } }), isUnauthorized);
  });
});

describe('TokenService with its cache of validated tokens', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const config = parseConfigText('', 'test', { identity: { admin_password: 'admin-pw', member_password: 'demo-pw', token_expiration: '600' } });
  let database: Database<IdentitySchema>;
  let tokens: TokenService;
  let lookups = 0;

  before(async () => {
    database = openDatabase<IdentitySchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, identityMigrations);
    const repo = new TokenRepo({ db: database.db, clock });
    const findByHash = repo.findByHash.bind(repo);
    repo.findByHash = (hash: string) => {
      lookups += 1;
      return findByHash(hash);
    };
    tokens = new TokenService({
      repo,
      directory: await IdentityDirectory.create({ config, ids: new RandomIdGenerator(), persistCredentials: false }),
      clock,
      ids: new RandomIdGenerator(),
      logger: silentLogger(),
      expirationSeconds: config.identity.token_expiration,
      cacheSeconds: 60,
    });
  });
  after(async () => database.close());

  it('asks the database once per token and cache period, and again when the period is over', async () => {
    const { token } = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    const before = lookups;
    const first = await tokens.validate(token);
    const second = await tokens.validate(token);
    assert.equal(lookups - before, 1);
    assert.equal(second.user.id, first.user.id);
    // Another process revokes it: this one accepts it until its cache period ends, then refuses.
    await database.db.deleteFrom('tokens').where('token_hash', '=', hashToken(token)).execute();
    clock.advance(59_000);
    await tokens.validate(token);
    clock.advance(1_000);
    await assert.rejects(tokens.validate(token), isUnauthorized);
    assert.equal(lookups - before, 2);
  });

  it('refuses a token revoked through it at once, and a cached token once it expires', async () => {
    const revoked = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    await tokens.validate(revoked.token);
    assert.equal(await tokens.revoke(revoked.token), true);
    await assert.rejects(tokens.validate(revoked.token), isUnauthorized);

    const expiring = await tokens.issue(passwordAuth('demo', 'demo-pw', 'demo'));
    clock.advance(570_000);
    await tokens.validate(expiring.token); // cached for 60 s, but the token has 30 s left
    clock.advance(30_000);
    await assert.rejects(tokens.validate(expiring.token), isUnauthorized);
  });
});
