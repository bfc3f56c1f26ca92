import type { Clock } from '../common/clock.js';
import { BadRequestError, UnauthorizedError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { AuthRequest } from './auth-request-body.js';
import type { IdentityDirectory } from './identity-directory.js';
import type { EntityRef, Project, Role, User } from './identity-entities.js';
import { hashToken } from './token-hash.js';
import type { StoredToken, TokenRepo } from './token-repo.js';

/** Everything a valid token stands for; what the token body shows. */
export interface TokenInfo {
  methods: string[];
  user: User;
  project: Project;
  roles: Role[];
  issuedAt: Date;
  expiresAt: Date;
  /** This token's audit id, then the audit id of the token it was re-scoped from, if any. */
  auditIds: string[];
}

/** A new token and what it stands for. */
export interface IssuedToken {
  token: string;
  info: TokenInfo;
}

export interface TokenServiceDeps {
  repo: TokenRepo;
  directory: IdentityDirectory;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Seconds a token stays valid (`[identity] token_expiration`). */
  expirationSeconds: number;
  /** Seconds a validated token is kept in this process (`[identity] token_cache_time`; 0: never). */
  cacheSeconds?: number;
}

/** How many validated tokens a process keeps; the oldest goes first. */
const CACHED_TOKENS = 10_000;

const AUTH_REQUIRED = 'The request you have made requires authentication.';
const SUPPORTED_METHODS = new Set(['password', 'token']);

/**
 * Issues, validates and revokes project-scoped bearer tokens. Tokens are random secrets; only
 * their SHA-256 is stored. Every failure to authenticate is the same 401, whatever the reason
 * (unknown user, wrong password, no role on the project), so that it reveals nothing; the reason
 * is logged.
 *
 * @example
 * const { token, info } = await tokens.issue({
 *   identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password } } },
 *   scope: { project: { name: 'admin', domain: { name: 'Default' } } },
 * });
 * (await tokens.validate(token)).project.id === info.project.id;
 */
export class TokenService {
  /**
   * Validated tokens by their hash, with when to ask the database again, as keystonemiddleware
   * keeps them: every API request validates its token, and most come with one seen a moment ago.
   * A revoke through this service drops the entry at once; expiry is checked on every hit.
   */
  private readonly cache = new Map<string, { info: TokenInfo; until: number }>();

  constructor(private readonly deps: TokenServiceDeps) {}

  /** Authenticates with the `password` or `token` method and issues a token scoped to a project. */
  async issue(request: AuthRequest): Promise<IssuedToken> {
    const methods = [...new Set(request.identity.methods)];
    const unsupported = methods.find((m) => !SUPPORTED_METHODS.has(m));
    if (unsupported !== undefined) {
      throw new UnauthorizedError('identity.unsupported_method', `Attempted to authenticate with an unsupported method: ${unsupported}.`);
    }
    if (methods.length > 1) {
      throw new UnauthorizedError('identity.unsupported_method', 'Authenticating with more than one method at once is not supported.');
    }
    const now = this.deps.clock.now();
    const base = methods[0] === 'token' ? await this.fromToken(request) : this.fromPassword(request, now);
    const project = this.scopeProject(request, base.user, base.project);
    const roles = this.deps.directory.rolesOf(base.user.id, project.id);
    if (roles.length === 0) throw this.refuse('identity.not_member', `user ${base.user.name} has no role on project ${project.name}`);

    const token = this.deps.ids.secret(32);
    const auditId = this.deps.ids.secret(16);
    const stored: StoredToken = {
      userId: base.user.id,
      projectId: project.id,
      roles: roles.map((r) => r.name),
      methods: base.methods,
      auditId,
      auditChainId: base.auditChainId,
      issuedAt: now,
      expiresAt: base.expiresAt,
    };
    await this.deps.repo.insert(hashToken(token), stored);
    this.deps.logger.info({ user_id: base.user.id, project_id: project.id, methods: base.methods, audit_id: auditId }, 'token issued');
    return { token, info: { methods: base.methods, user: base.user, project, roles, issuedAt: now, expiresAt: base.expiresAt, auditIds: auditIdsOf(stored) } };
  }

  /** What a token stands for; UnauthorizedError when it is unknown, expired or revoked. */
  async validate(token: string): Promise<TokenInfo> {
    const invalid = () => new UnauthorizedError('identity.invalid_token', AUTH_REQUIRED);
    const hash = hashToken(token);
    const now = this.deps.clock.now().getTime();
    const cached = this.cache.get(hash);
    if (cached !== undefined) {
      if (cached.until > now && cached.info.expiresAt.getTime() > now) return cached.info;
      this.cache.delete(hash);
    }
    const stored = await this.deps.repo.findByHash(hash);
    if (stored === undefined) throw invalid();
    if (stored.expiresAt.getTime() <= now) throw invalid();
    const user = this.deps.directory.findUser({ id: stored.userId });
    const project = this.deps.directory.findProject({ id: stored.projectId });
    // The configuration may have renamed a user or project since the token was issued.
    if (user === undefined || project === undefined) throw invalid();
    const roles = stored.roles.map((name) => this.deps.directory.roleByName(name)).filter((r): r is Role => r !== undefined);
    // Frozen: a cached answer is handed to every request that comes with the same token.
    const info: TokenInfo = Object.freeze({
      methods: Object.freeze(stored.methods) as string[], user, project, roles: Object.freeze(roles) as Role[], issuedAt: stored.issuedAt, expiresAt: stored.expiresAt, auditIds: Object.freeze(auditIdsOf(stored)) as string[],
    });
    this.remember(hash, info, now);
    return info;
  }

  private remember(hash: string, info: TokenInfo, now: number): void {
    const seconds = this.deps.cacheSeconds ?? 0;
    if (seconds <= 0) return;
    if (this.cache.size >= CACHED_TOKENS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(hash, { info, until: now + seconds * 1000 });
  }

  /** Revokes a token; false when there was no such token. */
  async revoke(token: string): Promise<boolean> {
    const hash = hashToken(token);
    this.cache.delete(hash);
    return this.deps.repo.deleteByHash(hash);
  }

  /** Deletes expired tokens; returns how many. Meant to be called periodically. */
  async purgeExpired(): Promise<number> {
    return this.deps.repo.deleteExpired(this.deps.clock.now());
  }

  private fromPassword(request: AuthRequest, now: Date): AuthBase {
    const password = request.identity.password;
    if (password === undefined) throw malformed('Expecting to find password in identity');
    const { user: ref } = password;
    checkRef(ref, 'user');
    const user = this.deps.directory.findUser(ref);
    if (!this.deps.directory.checkPassword(user?.id, ref.password) || user === undefined) {
      throw this.refuse('identity.invalid_credentials', `invalid user or password for ${ref.id ?? ref.name ?? ''}`);
    }
    const project = this.deps.directory.findProject({ id: user.defaultProjectId });
    return { user, project, methods: ['password'], auditChainId: null, expiresAt: new Date(now.getTime() + this.deps.expirationSeconds * 1000) };
  }

  private async fromToken(request: AuthRequest): Promise<AuthBase> {
    const token = request.identity.token;
    if (token === undefined) throw malformed('Expecting to find token in identity');
    const original = await this.validate(token.id);
    return {
      user: original.user,
      project: original.project,
      methods: ['token', ...original.methods.filter((m) => m !== 'token')],
      auditChainId: original.auditIds[1] ?? original.auditIds[0] ?? null,
      // A re-scoped token never outlives the token it came from.
      expiresAt: original.expiresAt,
    };
  }

  /** The requested project, else the base one (the user's default, or the re-scoped token's). */
  private scopeProject(request: AuthRequest, user: User, fallback: Project | undefined): Project {
    const ref = request.scope?.project;
    if (ref === undefined) {
      if (fallback === undefined) throw this.refuse('identity.no_project', `user ${user.name} has no default project`);
      return fallback;
    }
    checkRef(ref, 'project');
    const project = this.deps.directory.findProject(ref);
    if (project === undefined) throw this.refuse('identity.unknown_project', `project ${ref.id ?? ref.name ?? ''} not found`);
    return project;
  }

  private refuse(code: string, reason: string): UnauthorizedError {
    this.deps.logger.info({ code, reason }, 'authentication refused');
    return new UnauthorizedError(code, AUTH_REQUIRED);
  }
}

interface AuthBase {
  user: User;
  project: Project | undefined;
  methods: string[];
  auditChainId: string | null;
  expiresAt: Date;
}

function auditIdsOf(token: StoredToken): string[] {
  return token.auditChainId === null ? [token.auditId] : [token.auditId, token.auditChainId];
}

/** A name is only unique within a domain, so a reference by name must say which domain. */
function checkRef(ref: EntityRef, what: 'user' | 'project'): void {
  if (ref.id !== undefined) return;
  if (ref.name === undefined) throw malformed(`Expecting to find id or name in ${what}`);
  if (ref.domain === undefined) throw malformed(`Expecting to find domain in ${what}`);
  if (ref.domain.id === undefined && ref.domain.name === undefined) throw malformed('Expecting to find id or name in domain');
}

function malformed(problem: string): BadRequestError {
  return new BadRequestError(
    'identity.invalid_auth_request',
    `${problem}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );
}
