import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { BadRequestError } from '../common/errors.js';
import { maskPassword, openDatabase, parseDatabaseUrl } from './connection.js';

describe('parseDatabaseUrl', () => {
  it('reads sqlite:// and sqlite:///:memory: as an in-memory database', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite://'), { dialect: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:///:memory:'), { dialect: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:///'), { dialect: 'sqlite', path: ':memory:' });
  });

  it('reads three slashes as a path relative to the working directory', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:///data/nova.db'), { dialect: 'sqlite', path: resolve('data/nova.db') });
  });

  it('reads four slashes as an absolute path', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:////var/lib/tessera/api.sqlite'), { dialect: 'sqlite', path: '/var/lib/tessera/api.sqlite' });
  });

  it('drops a query string from a sqlite URL', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:////tmp/x.db?timeout=30'), { dialect: 'sqlite', path: '/tmp/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:///:memory:?cache=shared'), { dialect: 'sqlite', path: ':memory:' });
  });

  it('normalizes every PostgreSQL spelling to postgresql://', () => {
    const rest = 'nova:secret@db.example:5432/nova_api';
    for (const scheme of ['postgresql', 'postgres', 'postgresql+psycopg2', 'postgresql+pg8000']) {
      assert.deepEqual(parseDatabaseUrl(`${scheme}://${rest}`), { dialect: 'postgres', connectionString: `postgresql://${rest}` }, scheme);
    }
  });

  it('keeps the query string of a PostgreSQL URL', () => {
    assert.deepEqual(parseDatabaseUrl('postgresql://u@h/db?sslmode=require'), { dialect: 'postgres', connectionString: 'postgresql://u@h/db?sslmode=require' });
  });

  it('refuses other databases without showing the password', () => {
    for (const url of ['mysql+pymysql://nova:hunter2@db/nova', 'oracle://nova:hunter2@db/nova', 'nonsense', 'SQLITE://']) {
      assert.throws(() => parseDatabaseUrl(url), (err: unknown) => {
        assert.ok(err instanceof BadRequestError, url);
        assert.equal(err.code, 'db.bad_url');
        assert.match(err.message, /Unsupported database URL/);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      });
    }
  });
});

describe('maskPassword', () => {
  it('masks the password and keeps the user', () => {
    assert.equal(maskPassword('postgresql://nova:secret@db:5432/nova'), 'postgresql://nova:***@db:5432/nova');
    assert.equal(maskPassword('postgresql+psycopg2://nova:s3cr:et@db/nova?sslmode=require'), 'postgresql+psycopg2://nova:***@db/nova?sslmode=require');
  });

  it('masks an empty password too', () => {
    assert.equal(maskPassword('postgresql://nova:@db/nova'), 'postgresql://nova:***@db/nova');
  });

  it('leaves URLs without a password alone', () => {
    for (const url of ['postgresql://nova@db/nova', 'postgresql://db:5432/nova', 'sqlite:////var/lib/x.db', 'sqlite://']) {
      assert.equal(maskPassword(url), url);
    }
  });

  it('hides all of a password that contains an unencoded @ (pg takes the last @ as the separator)', () => {
    const masked = maskPassword('postgresql://nova:p@ssw0rd@db:5432/nova');
    assert.doesNotMatch(masked, /ssw0rd/);
    assert.equal(masked, 'postgresql://nova:***@db:5432/nova');
  });
});

describe('openDatabase on SQLite', () => {
  it('opens a file in WAL mode with foreign keys on and a 64 MiB page cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-conn-'));
    const database = openDatabase(`sqlite:///${join(dir, 'x.db')}`);
    try {
      const pragma = async (name: string): Promise<unknown> => Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('synchronous'), 1, 'NORMAL');
      assert.equal(await pragma('cache_size'), -65536, 'in KiB, as a negative number');
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
