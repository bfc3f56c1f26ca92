import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
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

  const start = (databaseUrl: string) =>
    ImageService.create({ config, clock: new ManualClock(), ids: new RandomIdGenerator(), logger: silentLogger(), policy, databaseUrl });

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
      await assert.rejects(images.create(MEMBER, { name: 'mine' }), hasCode('policy.forbidden', 403));
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
});
