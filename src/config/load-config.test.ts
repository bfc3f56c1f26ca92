import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cellDatabaseUrl } from './cell-database-url.js';
import { ConfigError } from './config-error.js';
import { loadConfig, parseConfigText } from './load-config.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

async function withFile<T>(text: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-config-'));
  try {
    const file = join(dir, 'tessera.conf');
    await writeFile(file, text);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('loadConfig', () => {
  it('returns the defaults without a file', async () => {
    const config = await loadConfig({});
    assert.equal(config.DEFAULT.host, hostname());
    assert.equal(config.DEFAULT.debug, false);
    assert.equal(config.DEFAULT.state_path, './data');
    assert.equal(config.DEFAULT.transport_url, 'inproc://');
    assert.equal(config.DEFAULT.cpu_allocation_ratio, 16);
    assert.equal(config.api.port, 8774);
    assert.equal(config.api.max_limit, 1000);
    assert.equal(config.api.auth_strategy, 'keystone');
    assert.deepEqual(config.filter_scheduler.enabled_filters, ['ComputeFilter', 'AvailabilityZoneFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter']);
    assert.deepEqual(config.cells.names, ['cell1', 'cell2']);
    assert.equal(config.cells.host_name_template, '{cell}-compute{n}');
    assert.equal(config.quota.metadata_items, 128);
    assert.equal(config.notifications.notify_on_state_change, '');
  });

  it('reads a file overriding values of each type', async () => {
    const text = [
      '# a comment',
      '[DEFAULT]',
      'host = node-a',
      'debug = Yes',
      'log_file =',
      'ram_allocation_ratio = 2.5',
      'transport_url = rabbit://guest:guest@localhost:5672/',
      '; another comment',
      '[api]',
      'port = 0',
      'auth_strategy = noauth2',
      '[filter_scheduler]',
      'enabled_filters = ComputeFilter , RamFilter,,',
      '[oslo_policy]',
      'enforce_new_defaults = false',
    ].join('\n');
    const config = await withFile(text, (file) => loadConfig({ file }));
    assert.equal(config.DEFAULT.host, 'node-a');
    assert.equal(config.DEFAULT.debug, true);
    assert.equal(config.DEFAULT.log_file, '');
    assert.equal(config.DEFAULT.ram_allocation_ratio, 2.5);
    assert.equal(config.DEFAULT.transport_url, 'rabbit://guest:guest@localhost:5672/');
    assert.equal(config.api.port, 0);
    assert.equal(config.api.auth_strategy, 'noauth2');
    assert.deepEqual(config.filter_scheduler.enabled_filters, ['ComputeFilter', 'RamFilter']);
    assert.equal(config.oslo_policy.enforce_new_defaults, false);
  });

  it('names a missing file', async () => {
    const file = join(tmpdir(), 'no-such-dir-tessera', 'tessera.conf');
    await assert.rejects(loadConfig({ file }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, 'config.invalid');
      assert.equal(err.status, 500);
      assert.equal(err.message, `Invalid configuration in ${file}: file not found`);
      return true;
    });
  });

  it('applies overrides on top of the file, with the same validation', async () => {
    const text = '[api]\nport = 9000\nmax_limit = 50\n[DEFAULT]\nstate_path = /from/file\n';
    const config = await withFile(text, (file) =>
      loadConfig({ file, overrides: { api: { port: '0' }, DEFAULT: { state_path: '/var/lib/tessera' } } }),
    );
    assert.equal(config.api.port, 0);
    assert.equal(config.api.max_limit, 50);
    assert.equal(config.DEFAULT.state_path, '/var/lib/tessera');
    assert.equal(config.api_database.connection, 'sqlite:////var/lib/tessera/api.sqlite');

    const err = configError(() => parseConfigText('', 'x.conf', { api: { port: 'high' }, nope: { a: '1' } }));
    assert.match(err.message, /\[api\] port: expected an integer, got "high" \(from overrides\)/);
    assert.match(err.message, /\[nope\]: unknown section \(from overrides\)/);
  });
});

describe('parseConfigText', () => {
  it('lists an unknown section and an unknown option in one error', () => {
    const err = configError(() => parseConfigText('[DEFAULT]\nfoo = 1\n[bogus]\nx = 2\n[default]\n', '/etc/tessera.conf'));
    assert.equal(
      err.message,
      'Invalid configuration in /etc/tessera.conf: [DEFAULT] foo: unknown option; [bogus]: unknown section; ' +
        '[default]: unknown section (did you mean [DEFAULT]?)',
    );
    assert.deepEqual(err.details, { source: '/etc/tessera.conf', problems: [...err.problems] });
  });

  it('names every ill-typed int, float, bool and enum', () => {
    const text = [
      '[api]',
      'max_limit = abc',
      'port = 70000',
      'auth_strategy = basic',
      '[DEFAULT]',
      'debug = maybe',
      'cpu_allocation_ratio = 0',
      'ram_allocation_ratio = lots',
      'transport_url = amqp://x',
      '[quota]',
      'instances =',
    ].join('\n');
    const err = configError(() => parseConfigText(text, 't.conf'));
    assert.deepEqual(err.problems, [
      '[DEFAULT] debug: expected a boolean (true/false, yes/no, 1/0, on/off), got "maybe"',
      '[DEFAULT] transport_url: expected "inproc://" or a "rabbit://..." URL, got "amqp://x"',
      '[DEFAULT] cpu_allocation_ratio: must be > 0, got 0',
      '[DEFAULT] ram_allocation_ratio: expected a number, got "lots"',
      '[api] port: must be <= 65535, got 70000',
      '[api] max_limit: expected an integer, got "abc"',
      '[api] auth_strategy: expected one of "keystone", "noauth2", got "basic"',
      '[quota] instances: expected an integer, got ""',
    ]);
  });

  it('rejects options outside a section, bare keys and dotted sections', () => {
    const err = configError(() => parseConfigText('stray = 1\n[DEFAULT]\ndebug\n[api.v2]\nx = 1\n', 'c.conf'));
    assert.deepEqual(err.problems, [
      '(no section) stray: option outside any section; put it under [DEFAULT]',
      '[DEFAULT] debug: expected "debug = value"',
      '[api.v2]: unknown section',
    ]);
  });

  it('substitutes {state_path} in string options but leaves {cell}', () => {
    const config = parseConfigText('[DEFAULT]\nstate_path = /srv/t\n[glance]\ndefault_image_name = {state_path}/img\n', 's');
    assert.equal(config.database.connection, 'sqlite:////srv/t/{cell}.sqlite');
    assert.equal(config.identity.connection, 'sqlite:////srv/t/identity.sqlite');
    assert.equal(config.placement_database.connection, 'sqlite:////srv/t/placement.sqlite');
    assert.equal(config.glance.default_image_name, '/srv/t/img');
    assert.equal(config.DEFAULT.state_path, '/srv/t');
  });

  it('returns a deeply frozen object', () => {
    const config = parseConfigText('', 'f');
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.api));
    assert.ok(Object.isFrozen(config.cells.names));
    assert.throws(() => {
      (config.api as { port: number }).port = 1;
    }, TypeError);
    // Each load gets its own lists, so freezing one never touches the schema's defaults.
    assert.notEqual(parseConfigText('', 'g').cells.names, config.cells.names);
  });
});

describe('cellDatabaseUrl', () => {
  it('fills {cell} in [database] connection', () => {
    const config = parseConfigText('[DEFAULT]\nstate_path = ./d\n', 'c');
    assert.equal(cellDatabaseUrl(config, 'cell1'), 'sqlite:///./d/cell1.sqlite');
    const pg = parseConfigText('[database]\nconnection = postgresql://u@db/tessera_{cell}\n', 'c');
    assert.equal(cellDatabaseUrl(pg, 'cell0'), 'postgresql://u@db/tessera_cell0');
  });
});
