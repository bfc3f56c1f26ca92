import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { JsonLinesSink } from './json-lines-sink.js';

describe('JsonLinesSink', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-notify-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one line per notification, in order, creating the directory', async () => {
    const path = join(dir, 'nested', 'notifications.jsonl');
    await writeFile(join(dir, 'marker'), '');
    const sink = new JsonLinesSink({ path, logger: pino({ level: 'silent' }) });
    for (let i = 0; i < 50; i++) sink.write(undefined, JSON.stringify({ n: i }));
    await sink.flush();
    sink.write(undefined, JSON.stringify({ n: 50 }));
    await sink.close();
    sink.write(undefined, JSON.stringify({ n: 'after close' }));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { n: number }).n), Array.from({ length: 51 }, (_, i) => i));
  });

  it('logs a failed write with the file and the number lost, and does not throw', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
    const sink = new JsonLinesSink({ path: dir, logger }); // a directory: appending fails
    sink.write(undefined, '{}');
    sink.write(undefined, '{}');
    await sink.flush();
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.['path'], dir);
    assert.equal(logged[0]?.['lost'], 2);
  });

  it('drops notifications past maxPending rather than growing without bound', async () => {
    const path = join(dir, 'bounded.jsonl');
    const sink = new JsonLinesSink({ path, logger: pino({ level: 'silent' }), maxPending: 3 });
    for (let i = 0; i < 10; i++) sink.write(undefined, String(i));
    await sink.close();
    assert.deepEqual((await readFile(path, 'utf8')).trimEnd().split('\n'), ['0', '1', '2']);
  });
});
