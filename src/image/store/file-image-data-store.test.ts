import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import { FileImageDataStore } from './file-image-data-store.js';

const ID = '3b0fbb6c-6c6b-4f8e-9c55-1d4c8f2f0a01';

async function* parts(...chunks: (string | Error)[]): AsyncIterable<Uint8Array> {
  for (const c of chunks) {
    if (c instanceof Error) throw c;
    yield Buffer.from(c);
  }
}

async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('FileImageDataStore', () => {
  let dir: string;
  let store: FileImageDataStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-store-'));
    store = await FileImageDataStore.create({ dir: join(dir, 'images') });
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  const files = () => readdir(join(dir, 'images'));

  it('stages with hashes, shows nothing until commit, then serves the data', async () => {
    const staged = await store.stage(ID, parts('hello ', 'world'), { maxBytes: 100 });
    assert.equal(staged.size, 11);
    assert.equal(staged.md5, createHash('md5').update('hello world').digest('hex'));
    assert.equal(staged.sha512, createHash('sha512').update('hello world').digest('hex'));
    assert.equal(staged.head.toString(), 'hello world');
    assert.equal(await store.open(ID), undefined, 'staged data is not the image\'s yet');
    await staged.commit();
    const data = await store.open(ID);
    assert.equal(data?.size, 11);
    assert.equal(await readAll(data?.stream ?? parts()), 'hello world');
    await staged.discard();
    assert.equal(await store.open(ID), undefined, 'discard after commit removes the data');
    assert.deepEqual(await files(), []);
  });

  it('leaves nothing behind when the data is too large or the source fails', async () => {
    await assert.rejects(store.stage(ID, parts('12345', '67890'), { maxBytes: 8 }), (err: unknown) => err instanceof TesseraError && err.status === 413);
    await assert.rejects(store.stage(ID, parts('12', new Error('connection reset')), { maxBytes: 8 }), /connection reset/);
    assert.deepEqual(await files(), []);
  });

  it('keeps only the first bytes as the head, and deletes idempotently', async () => {
    const staged = await store.stage(ID, parts('a'.repeat(300), 'b'.repeat(300)), { maxBytes: 1000 });
    assert.equal(staged.head.length, 512);
    assert.equal(staged.head.toString(), 'a'.repeat(300) + 'b'.repeat(212));
    await staged.commit();
    await store.delete(ID);
    await store.delete(ID);
    assert.deepEqual(await files(), []);
  });

  it('refuses keys that are not image ids', async () => {
    await assert.rejects(store.open('../etc/passwd'), (err: unknown) => err instanceof TesseraError && err.code === 'image.bad_store_key');
  });
});
