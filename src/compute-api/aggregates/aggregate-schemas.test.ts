import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileValidator } from '../../api/validation/validator.js';
import { BadRequestError } from '../../common/errors.js';
import { AddHostBody, CreateAggregateBody, SetMetadataBody, UpdateAggregateBody } from './aggregate-schemas.js';

const create = compileValidator(CreateAggregateBody, 'body');
const update = compileValidator(UpdateAggregateBody, 'body');
const addHost = compileValidator(AddHostBody, 'body');
const setMetadata = compileValidator(SetMetadataBody, 'body');

describe('aggregate request schemas', () => {
  it('takes a name and an optional zone on create, as Nova', () => {
    assert.deepEqual(create({ aggregate: { name: 'rack 1', availability_zone: 'az-1' } }), { aggregate: { name: 'rack 1', availability_zone: 'az-1' } });
    create({ aggregate: { name: 'x', availability_zone: null } });
    for (const bad of [
      {},
      { aggregate: {} },
      { aggregate: { name: '' } },
      { aggregate: { name: ' padded' } },
      { aggregate: { name: 'x'.repeat(256) } },
      { aggregate: { name: 'x', availability_zone: 'a:b' } },
      { aggregate: { name: 'x', availability_zone: '' } },
      { aggregate: { name: 'x', hosts: [] } },
    ]) {
      assert.throws(() => create(bad), BadRequestError, JSON.stringify(bad));
    }
  });

  it('needs a name or a zone on update, and tolerates spaces around the name', () => {
    update({ aggregate: { name: '  spaced  ' } });
    update({ aggregate: { availability_zone: 'z' } });
    assert.throws(() => update({ aggregate: {} }), BadRequestError);
    assert.throws(() => update({ aggregate: { name: '   ' } }), BadRequestError);
  });

  it('takes host names and metadata in the shapes Nova accepts', () => {
    addHost({ add_host: { host: 'cell1-compute_1.example' } });
    assert.throws(() => addHost({ add_host: { host: 'has space' } }), BadRequestError);
    assert.throws(() => addHost({ add_host: {} }), BadRequestError);
    setMetadata({ set_metadata: { metadata: { 'a-b_c:d. e': 'v', gone: null } } });
    assert.throws(() => setMetadata({ set_metadata: { metadata: { 'a/b': 'v' } } }), BadRequestError);
    assert.throws(() => setMetadata({ set_metadata: { metadata: { k: 1 } } }), BadRequestError);
    assert.throws(() => setMetadata({ set_metadata: { metadata: { k: 'v'.repeat(256) } } }), BadRequestError);
  });
});
