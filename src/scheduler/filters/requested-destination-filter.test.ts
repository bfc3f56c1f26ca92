import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestedDestinationFilter } from './requested-destination-filter.js';
import { CELL2, host, spec } from './scheduler-harness.test.js';

describe('RequestedDestinationFilter (always on)', () => {
  const f = new RequestedDestinationFilter();
  const a = host('a');
  const c = host('c', { cellUuid: CELL2, cellName: 'cell2' });

  it('passes every host without a destination', () => {
    assert.equal(f.passes(a, spec()), true);
  });

  it('restricts to the requested host, node, or cell (uuid or name)', () => {
    assert.equal(f.passes(a, spec({ requested_destination: { host: 'a' } })), true);
    assert.equal(f.passes(c, spec({ requested_destination: { host: 'a' } })), false);
    assert.equal(f.passes(a, spec({ requested_destination: { node: 'a.node' } })), true);
    assert.equal(f.passes(a, spec({ requested_destination: { node: 'c.node' } })), false);
    assert.equal(f.passes(c, spec({ requested_destination: { cell: CELL2 } })), true);
    assert.equal(f.passes(c, spec({ requested_destination: { cell: 'cell2' } })), true);
    assert.equal(f.passes(a, spec({ requested_destination: { cell: 'cell2' } })), false);
  });

  it('refuses ignored hosts', () => {
    assert.equal(f.passes(a, spec({ ignore_hosts: ['a'] })), false);
    assert.equal(f.passes(a, spec({ ignore_hosts: ['a'], requested_destination: { host: 'a' } })), false);
  });
});
