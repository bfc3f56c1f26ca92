import { createHash, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { IdGenerator } from '../common/ids.js';
import { ConfigError, type Config } from '../config/index.js';
import { resolveGeneratedPasswords } from './generated-passwords.js';
import type { Domain, EntityRef, Project, Role, User } from './identity-entities.js';
import { stableId } from './stable-id.js';

/** One of the two accounts the configuration defines. */
export interface BootstrapAccount {
  kind: 'admin' | 'member';
  user: string;
  password: string;
  project: string;
  roles: readonly string[];
}

/** User name, password and project of one account, as the CLI prints them and openrc sets them. */
export interface AccountCredentials {
  user: string;
  password: string;
  project: string;
}

/** The two bootstrap accounts' credentials. */
export interface IdentityCredentials {
  admin: AccountCredentials;
  member: AccountCredentials;
}

export interface IdentityDirectoryDeps {
  accounts: readonly BootstrapAccount[];
}

/** What `IdentityDirectory.create` needs. */
export interface IdentityDirectoryOptions {
  config: Config;
  ids: IdGenerator;
  /**
   * Whether generated passwords are kept in `<state_path>/credentials.json` (default true);
   * false keeps them in memory only (tests).
   */
  persistCredentials?: boolean;
  /** Overrides the credentials file location. */
  credentialsFile?: string;
}

const DEFAULT_DOMAIN: Domain = Object.freeze({ id: 'default', name: 'Default' });
const ROLE_NAMES = ['admin', 'member', 'reader'] as const;

/**
 * Users, projects, roles and role assignments, defined by the `[identity]` options: an admin user
 * with roles admin, member and reader in the admin project, and a member user with member and
 * reader in its own project, all in the `Default` domain. Ids are derived from names, so they stay
 * the same across restarts; empty passwords are generated once and kept in the credentials file.
 *
 * @example
 * const directory = await IdentityDirectory.create({ config, ids });
 * const user = directory.findUser({ name: 'admin', domain: { name: 'Default' } });
 * directory.checkPassword(user?.id, 'secret');
 */
export class IdentityDirectory {
  private readonly users = new Map<string, User>();
  private readonly projects = new Map<string, Project>();
  /** Roles by name: every authenticated request looks its token's roles up by name. */
  private readonly roles = new Map<string, Role>();
  private readonly passwordHashes = new Map<string, Buffer>();
  /** user id → project id → role names. */
  private readonly assignments = new Map<string, Map<string, string[]>>();
  private readonly accounts: readonly BootstrapAccount[];

  static async create(options: IdentityDirectoryOptions): Promise<IdentityDirectory> {
    const { identity } = options.config;
    if (identity.admin_user === identity.member_user) {
      throw new ConfigError('[identity]', [`admin_user and member_user must differ (both are "${identity.admin_user}")`]);
    }
    const drafts: BootstrapAccount[] = [
      { kind: 'admin', user: identity.admin_user, password: identity.admin_password, project: identity.admin_project, roles: ['admin', 'member', 'reader'] },
      { kind: 'member', user: identity.member_user, password: identity.member_password, project: identity.member_project, roles: ['member', 'reader'] },
    ];
    const file = options.persistCredentials === false
      ? undefined
      : options.credentialsFile ?? join(options.config.DEFAULT.state_path, 'credentials.json');
    const generated = await resolveGeneratedPasswords({
      userNames: drafts.filter((a) => a.password === '').map((a) => a.user),
      generate: () => options.ids.secret(18),
      file,
    });
    const accounts = drafts.map((a) => (a.password === '' ? { ...a, password: generated.get(a.user) ?? '' } : a));
    return new IdentityDirectory({ accounts });
  }

  constructor(deps: IdentityDirectoryDeps) {
    this.accounts = deps.accounts;
    for (const name of ROLE_NAMES) this.ensureRole(name);
    for (const account of deps.accounts) {
      const project = this.ensureProject(account.project);
      const user: User = { id: stableId('user', `${DEFAULT_DOMAIN.id}/${account.user}`), name: account.user, domain: DEFAULT_DOMAIN, defaultProjectId: project.id };
      this.users.set(user.id, user);
      this.passwordHashes.set(user.id, sha256(account.password));
      for (const role of account.roles) this.ensureRole(role);
      const byProject = this.assignments.get(user.id) ?? new Map<string, string[]>();
      byProject.set(project.id, [...new Set([...(byProject.get(project.id) ?? []), ...account.roles])]);
      this.assignments.set(user.id, byProject);
    }
  }

  /** The domain a reference names (`{id: 'default'}` or `{name: 'Default'}`), if it exists. */
  findDomain(ref: { id?: string | undefined; name?: string | undefined }): Domain | undefined {
    if (ref.id !== undefined) return ref.id === DEFAULT_DOMAIN.id ? DEFAULT_DOMAIN : undefined;
    if (ref.name !== undefined) return ref.name === DEFAULT_DOMAIN.name ? DEFAULT_DOMAIN : undefined;
    return undefined;
  }

  /** The user a reference names: by id, or by name within the referenced domain. */
  findUser(ref: EntityRef): User | undefined {
    return this.find(this.users, ref);
  }

  /** The project a reference names: by id, or by name within the referenced domain. */
  findProject(ref: EntityRef): Project | undefined {
    return this.find(this.projects, ref);
  }

  /** Every project, by name. */
  listProjects(): Project[] {
    return [...this.projects.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The roles a user holds on a project; empty when the user is not a member. */
  rolesOf(userId: string, projectId: string): Role[] {
    const names = this.assignments.get(userId)?.get(projectId) ?? [];
    return names.map((name) => this.roleByName(name)).filter((r): r is Role => r !== undefined);
  }

  roleByName(name: string): Role | undefined {
    return this.roles.get(name);
  }

  /**
   * Whether `password` is the user's password. Takes the same time whether or not the user exists,
   * so that the answer does not reveal which user names are valid.
   */
  checkPassword(userId: string | undefined, password: string): boolean {
    const expected = (userId === undefined ? undefined : this.passwordHashes.get(userId)) ?? sha256(`\0no-user\0${password}`);
    const match = timingSafeEqual(expected, sha256(password));
    return match && userId !== undefined && this.passwordHashes.has(userId);
  }

  /** Credentials of the two bootstrap accounts, for the CLI to print and to write an openrc. */
  credentials(): IdentityCredentials {
    const of = (kind: BootstrapAccount['kind']): AccountCredentials => {
      const a = this.accounts.find((x) => x.kind === kind);
      return { user: a?.user ?? '', password: a?.password ?? '', project: a?.project ?? '' };
    };
    return { admin: of('admin'), member: of('member') };
  }

  private ensureRole(name: string): void {
    if (!this.roles.has(name)) this.roles.set(name, { id: stableId('role', name), name });
  }

  private ensureProject(name: string): Project {
    const id = stableId('project', `${DEFAULT_DOMAIN.id}/${name}`);
    const existing = this.projects.get(id);
    if (existing !== undefined) return existing;
    const project: Project = { id, name, domain: DEFAULT_DOMAIN };
    this.projects.set(id, project);
    return project;
  }

  private find<T extends { id: string; name: string; domain: Domain }>(all: Map<string, T>, ref: EntityRef): T | undefined {
    if (ref.id !== undefined) return all.get(ref.id);
    if (ref.name === undefined || ref.domain === undefined) return undefined;
    const domain = this.findDomain(ref.domain);
    if (domain === undefined) return undefined;
    return [...all.values()].find((e) => e.name === ref.name && e.domain.id === domain.id);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
