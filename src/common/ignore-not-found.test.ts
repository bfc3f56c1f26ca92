import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError } from './errors.js';
import { ignoreNotFound } from './ignore-not-found.js';

describe('ignoreNotFound', () => {
  it('takes "not found" as done and rethrows anything else', async () => {
    await ignoreNotFound(Promise.resolve(1));
    await ignoreNotFound(Promise.reject(new NotFoundError('x.not_found', 'gone')));
    await assert.rejects(ignoreNotFound(Promise.reject(new ConflictError('x.conflict', 'busy'))), ConflictError);
  });
});
