import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RandomIdGenerator } from '../common/ids.js';
import { ConfigError, parseConfigText } from '../config/index.js';
import { IdentityDirectory } from './identity-directory.js';

const ids = new RandomIdGenerator();
const DEFAULT = { name: 'Default' };

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-identity-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('IdentityDirectory', () => {
  const config = parseConfigText('', 'test', { identity: { admin_password: 'admin-pw', member_password: 'demo-pw' } });

  it('defines the admin and member accounts with their roles in the Default domain', async () => {
    const dir = await IdentityDirectory.create({ config, ids, persistCredentials: false });
    const admin = dir.findUser({ name: 'admin', domain: DEFAULT });
    const demo = dir.findUser({ name: 'demo', domain: { id: 'default' } });
    assert.ok(admin && demo);
    assert.deepEqual(admin.domain, { id: 'default', name: 'Default' });
    const adminProject = dir.findProject({ name: 'admin', domain: DEFAULT });
    const demoProject = dir.findProject({ name: 'demo', domain: DEFAULT });
    assert.ok(adminProject && demoProject);
    assert.equal(admin.defaultProjectId, adminProject.id);
    assert.deepEqual(dir.rolesOf(admin.id, adminProject.id).map((r) => r.name), ['admin', 'member', 'reader']);
    assert.deepEqual(dir.rolesOf(demo.id, demoProject.id).map((r) => r.name), ['member', 'reader']);
    assert.deepEqual(dir.rolesOf(demo.id, adminProject.id), []);
    assert.equal(dir.findUser({ name: 'admin', domain: { name: 'Other' } }), undefined);
    assert.equal(dir.findUser({ name: 'admin' }), undefined, 'a name needs its domain');
  });

  it('derives the same 32-hex ids on every start', async () => {
    const a = await IdentityDirectory.create({ config, ids, persistCredentials: false });
    const b = await IdentityDirectory.create({ config, ids, persistCredentials: false });
    const userA = a.findUser({ name: 'admin', domain: DEFAULT });
    assert.match(userA?.id ?? '', /^[0-9a-f]{32}$/);
    assert.equal(userA?.id, b.findUser({ name: 'admin', domain: DEFAULT })?.id);
    assert.equal(a.findProject({ name: 'demo', domain: DEFAULT })?.id, b.findProject({ name: 'demo', domain: DEFAULT })?.id);
    assert.equal(a.roleByName('admin')?.id, b.roleByName('admin')?.id);
    assert.notEqual(userA?.id, a.findProject({ name: 'admin', domain: DEFAULT })?.id, 'user and project of one name differ');
  });

  it('checks passwords', async () => {
    const dir = await IdentityDirectory.create({ config, ids, persistCredentials: false });
    const admin = dir.findUser({ name: 'admin', domain: DEFAULT });
    assert.equal(dir.checkPassword(admin?.id, 'admin-pw'), true);
    assert.equal(dir.checkPassword(admin?.id, 'demo-pw'), false);
    assert.equal(dir.checkPassword(admin?.id, ''), false);
    assert.equal(dir.checkPassword(undefined, 'admin-pw'), false);
    assert.equal(dir.checkPassword('nobody', 'admin-pw'), false);
  });

  it('uses configured passwords and writes no file for them', async () => {
    await withTempDir(async (tmp) => {
      const cfg = parseConfigText('', 'test', { DEFAULT: { state_path: tmp }, identity: { admin_password: 'a', member_password: 'b' } });
      const dir = await IdentityDirectory.create({ config: cfg, ids });
      assert.deepEqual(dir.credentials(), { admin: { user: 'admin', password: 'a', project: 'admin' }, member: { user: 'demo', password: 'b', project: 'demo' } });
      await assert.rejects(stat(join(tmp, 'credentials.json')), { code: 'ENOENT' });
    });
  });

  it('generates empty passwords once, keeps them in <state_path>/credentials.json (0600) and reuses them', async () => {
    await withTempDir(async (tmp) => {
      const state = join(tmp, 'nested', 'state');
      const cfg = parseConfigText('', 'test', { DEFAULT: { state_path: state }, identity: { member_password: 'fixed' } });
      const first = (await IdentityDirectory.create({ config: cfg, ids })).credentials();
      assert.ok(first.admin.password.length >= 16);
      assert.equal(first.member.password, 'fixed');
      const file = join(state, 'credentials.json');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { passwords: Record<string, string> };
      assert.deepEqual(stored.passwords, { admin: first.admin.password });

      const again = await IdentityDirectory.create({ config: cfg, ids });
      assert.equal(again.credentials().admin.password, first.admin.password);
      assert.equal(again.checkPassword(again.findUser({ name: 'admin', domain: DEFAULT })?.id, first.admin.password), true);

      // A generated password is added for a user that now needs one, keeping the old ones.
      const cfg2 = parseConfigText('', 'test', { DEFAULT: { state_path: state } });
      const third = (await IdentityDirectory.create({ config: cfg2, ids })).credentials();
      assert.equal(third.admin.password, first.admin.password);
      assert.ok(third.member.password.length >= 16);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
    });
  });

  it('generates passwords in memory only when persistence is off', async () => {
    await withTempDir(async (tmp) => {
      const cfg = parseConfigText('', 'test', { DEFAULT: { state_path: tmp } });
      const a = (await IdentityDirectory.create({ config: cfg, ids, persistCredentials: false })).credentials();
      const b = (await IdentityDirectory.create({ config: cfg, ids, persistCredentials: false })).credentials();
      assert.notEqual(a.admin.password, b.admin.password);
      await assert.rejects(stat(join(tmp, 'credentials.json')), { code: 'ENOENT' });
    });
  });

  it('rejects a corrupt credentials file with its path in the message', async () => {
    await withTempDir(async (tmp) => {
      await writeFile(join(tmp, 'credentials.json'), '{not json');
      const cfg = parseConfigText('', 'test', { DEFAULT: { state_path: tmp } });
      await assert.rejects(IdentityDirectory.create({ config: cfg, ids }), (err: Error) => err.message.includes('credentials.json'));
    });
  });

  it('refuses the same name for both users', async () => {
    const cfg = parseConfigText('', 'test', { identity: { member_user: 'admin', admin_password: 'x', member_password: 'y' } });
    await assert.rejects(IdentityDirectory.create({ config: cfg, ids, persistCredentials: false }), ConfigError);
  });
});
