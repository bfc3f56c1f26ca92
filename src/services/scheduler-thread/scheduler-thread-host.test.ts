import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import { parseConfigText } from '../../config/index.js';
import { InprocBus } from '../../rpc/inproc/inproc-bus.js';
import { SchedulerThread } from './scheduler-thread-host.js';

describe('SchedulerThread', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-scheduler-thread-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const placement = { followCommits: () => () => undefined, applyPeerCommits: () => Promise.resolve() };

  it('fails its start with the thread\'s own error, at once, and serves nothing', async () => {
    await writeFile(join(dir, 'a-file'), '');
    const config = parseConfigText(
      [
        '[api_database]', `connection = sqlite:///${join(dir, 'api.sqlite')}`,
        '[database]', `connection = sqlite:///${join(dir, '{cell}.sqlite')}`,
        // Under a file, not a directory: the thread's placement service cannot open its database.
        '[placement_database]', `connection = sqlite:///${join(dir, 'a-file', 'placement.sqlite')}`,
      ].join('\n'),
      'test',
    );
    const bus = new InprocBus({ logger: silentLogger(), ids: new RandomIdGenerator(), clock: new ManualClock(), defaultTimeoutMs: 2000 });
    try {
      const started = Date.now();
      await assert.rejects(SchedulerThread.start({ config, bus, logger: silentLogger(), placement, stopTimeoutMs: 2000 }), /ENOTDIR|EEXIST/);
      assert.ok(Date.now() - started < 30_000);
      const ctx = { requestId: 'req-1', userId: 'u', projectId: 'p', roles: ['admin'], isAdmin: true };
      await assert.rejects(bus.call(ctx, 'scheduler', 'select_destinations', {}, { timeoutMs: 50 }), /Timed out/);
    } finally {
      await bus.close();
    }
  });

  it('is refused on SQLite databases in memory, naming them', async () => {
    const bus = new InprocBus({ logger: silentLogger(), ids: new RandomIdGenerator(), clock: new ManualClock(), defaultTimeoutMs: 2000 });
    await assert.rejects(
      SchedulerThread.start({ config: parseConfigText('[api_database]\nconnection = sqlite://\n', 'test'), bus, logger: silentLogger(), placement }),
      /cannot share SQLite databases in memory: \[api_database\] connection/,
    );
    await bus.close();
  });
});
