import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import { parseConfigText } from '../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { DEFAULT_IMAGE_SIZE } from './default-image.js';
import { ImageService } from './image-service.js';

const ADMIN: RequestContext = { requestId: 'req-1', userId: 'admin', projectId: 'admin-project', roles: ['admin', 'member', 'reader'], isAdmin: true };
const MEMBER: RequestContext = { requestId: 'req-2', userId: 'alice', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };

function hasCode(code: string, status: number) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TesseraError, `expected a TesseraError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return true;
  };
}

describe('ImageService', () => {
  let policy: PolicyEngine;
  let dir: string;
  const config = parseConfigText('', 'test');

  before(async () => {
    policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
    dir = await mkdtemp(join(tmpdir(), 'tessera-image-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const start = (databaseUrl: string, faults?: FaultInjector) =>
    ImageService.create({ config, clock: new ManualClock(), ids: new RandomIdGenerator(), logger: silentLogger(), policy, databaseUrl, dataDir: join(dir, 'data'), ...(faults ? { faults } : {}) });

  it('seeds the default image exactly once across restarts, and not again once deleted', async () => {
    const url = `sqlite:///${join(dir, 'image.sqlite')}`;
    const first = await start(url);
    const seeded = (await first.list(ADMIN)).images;
    assert.equal(seeded.length, 1);
    const image = seeded[0];
    assert.ok(image !== undefined);
    assert.equal(image.name, config.glance.default_image_name);
    assert.equal(image.status, 'active');
    assert.equal(image.visibility, 'public');
    assert.equal(image.container_format, 'bare');
    assert.equal(image.disk_format, 'qcow2');
    assert.equal(image.size, DEFAULT_IMAGE_SIZE);
    assert.equal(image.min_disk, 0);
    assert.equal(image.min_ram, 0);
    assert.match(String(image.checksum), /^[0-9a-f]{32}$/);
    await first.close();

    const second = await start(url);
    const again = (await second.list(ADMIN)).images;
    assert.deepEqual(again.map((i) => i.id), [image.id]);
    assert.equal(again[0]?.checksum, image.checksum);
    await second.delete(ADMIN, image.id);
    await second.close();

    const third = await start(url);
    assert.deepEqual((await third.list(ADMIN)).images, []);
    await third.close();
  });

  it('gives every new in-memory database the same default image id', async () => {
    const a = await start('sqlite://');
    const b = await start('sqlite://');
    assert.equal((await a.list(MEMBER)).images[0]?.id, (await b.list(MEMBER)).images[0]?.id);
    await a.close();
    await b.close();
  });

  it('applies policy and visibility as the compute side\'s ImageClient', async () => {
    const images = await start('sqlite://');
    try {
      await assert.rejects(images.create(MEMBER, { name: 'theirs', owner: 'admin-project' }), hasCode('policy.forbidden', 403));
      await assert.rejects(images.create(MEMBER, { name: 'everyone', visibility: 'public' }), hasCode('policy.forbidden', 403));
      assert.equal((await images.create(MEMBER, { name: 'mine' })).owner, 'project-a');
      const created = await images.create(ADMIN, { name: 'snap', visibility: 'private', protected: true, properties: { os_distro: 'cirros' } });
      assert.equal(created.status, 'queued');
      assert.equal(created.owner, 'admin-project');
      assert.equal(created['os_distro'], 'cirros');
      await assert.rejects(images.get(MEMBER, created.id), hasCode('image.not_found', 404));
      await assert.rejects(images.delete(MEMBER, created.id), hasCode('image.not_found', 404));
      await assert.rejects(images.delete(ADMIN, created.id), hasCode('image.protected', 403));
      const hidden = await images.create(ADMIN, { name: 'hidden', visibility: 'public', os_hidden: true });
      assert.ok(!(await images.list(MEMBER)).images.some((i) => i.id === hidden.id));
      assert.ok((await images.list(MEMBER, { osHidden: true })).images.some((i) => i.id === hidden.id));
      assert.equal((await images.get(MEMBER, hidden.id)).id, hidden.id);
    } finally {
      await images.close();
    }
  });

  async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
    for (const p of parts) yield Buffer.from(p);
  }
  const files = async (id: string) => (await readdir(join(dir, 'data'))).filter((f) => f.startsWith(id));

  it('uploads data in process, as the compute side does for a snapshot', async () => {
    const images = await start('sqlite://');
    try {
      const snap = await images.create(MEMBER, { name: 'snap', visibility: 'private', properties: { image_type: 'snapshot' } });
      const updated = await images.update(MEMBER, snap.id, [{ op: 'add', path: 'disk_format', value: 'raw' }, { op: 'add', path: 'container_format', value: 'bare' }]);
      assert.equal(updated.disk_format, 'raw');
      const active = await images.upload(MEMBER, snap.id, chunks('abc', 'def'));
      assert.equal(active.status, 'active');
      assert.equal(active.size, 6);
      assert.equal(active['image_type'], 'snapshot');
      const data = await images.download(MEMBER, snap.id);
      assert.ok(data !== undefined);
      let text = '';
      for await (const chunk of data.stream) text += String(chunk);
      assert.equal(text, 'abcdef');
      assert.equal(data.checksum, active.checksum);
    } finally {
      await images.close();
    }
  });

  it('kills the image and keeps no data when the upload fault point fires', async () => {
    const faults = new FaultInjector();
    const images = await start('sqlite://', faults);
    try {
      const image = await images.create(MEMBER, { name: 'doomed', container_format: 'bare', disk_format: 'raw', visibility: 'private' });
      faults.arm('image.upload');
      await assert.rejects(images.upload(MEMBER, image.id, chunks('data')), hasCode('fault.injected', 500));
      assert.equal((await images.get(MEMBER, image.id)).status, 'killed');
      assert.deepEqual(await files(image.id), []);
      assert.equal(await images.download(MEMBER, image.id), undefined);
      await images.delete(MEMBER, image.id);
    } finally {
      await images.close();
    }
  });

  it('fails create, update and delete at their fault points without changing anything', async () => {
    const faults = new FaultInjector();
    const images = await start('sqlite://', faults);
    try {
      const before = (await images.list(ADMIN)).images.length;
      faults.arm('image.create');
      await assert.rejects(images.create(MEMBER, { name: 'never' }), hasCode('fault.injected', 500));
      assert.equal((await images.list(ADMIN)).images.length, before);
      const image = await images.create(MEMBER, { name: 'kept' });
      faults.arm('image.update');
      await assert.rejects(images.update(MEMBER, image.id, [{ op: 'replace', path: 'name', value: 'renamed' }]), hasCode('fault.injected', 500));
      assert.equal((await images.get(MEMBER, image.id)).name, 'kept');
      faults.arm('image.delete');
      await assert.rejects(images.delete(MEMBER, image.id), hasCode('fault.injected', 500));
      assert.equal((await images.get(MEMBER, image.id)).status, 'queued');
    } finally {
      await images.close();
    }
  });

  it('answers 410 and keeps no data when the image is deleted during its upload', async () => {
    const images = await start('sqlite://');
    try {
      const image = await images.create(MEMBER, { name: 'racing', container_format: 'bare', disk_format: 'raw', visibility: 'private' });
      async function* slow(): AsyncIterable<Uint8Array> {
        yield Buffer.from('first');
        await images.delete(ADMIN, image.id);
        yield Buffer.from('second');
      }
      await assert.rejects(images.upload(MEMBER, image.id, slow()), hasCode('image.gone', 410));
      assert.deepEqual(await files(image.id), []);
    } finally {
      await images.close();
    }
  });

  it('lets one of two concurrent uploads win; the other gets 409', async () => {
    const images = await start('sqlite://');
    try {
      const image = await images.create(MEMBER, { name: 'twice', container_format: 'bare', disk_format: 'raw', visibility: 'private' });
      const results = await Promise.allSettled([images.upload(MEMBER, image.id, chunks('one')), images.upload(MEMBER, image.id, chunks('two'))]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost?.status === 'rejected' && lost.reason instanceof TesseraError && lost.reason.status === 409, String(lost?.status === 'rejected' ? lost.reason : ''));
      assert.equal((await images.get(MEMBER, image.id)).status, 'active');
    } finally {
      await images.close();
    }
  });
});
