import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CELL1, CELL2, host, spec } from '../filters/scheduler-harness.test.js';
import { CrossCellWeigher } from './cross-cell-weigher.js';
import { RamWeigher } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';

describe('CrossCellWeigher', () => {
  const w = new CrossCellWeigher();
  const local = host('local', { cellUuid: CELL1, freeRamMb: 1024 });
  const remote = host('remote', { cellUuid: CELL2, cellName: 'cell2', freeRamMb: 65536 });
  const move = spec({ move: { source_cell_uuid: CELL1 } });

  it('is named as in Nova', () => {
    assert.equal(w.name, 'CrossCellWeigher');
  });

  it('weighs 1 in the source cell and 0 elsewhere during a move', () => {
    assert.equal(w.weigh(local, move), 1);
    assert.equal(w.weigh(remote, move), 0);
  });

  it('applies only to moves', () => {
    assert.equal(w.appliesTo(move), true);
    assert.equal(w.appliesTo(spec()), false);
    assert.equal(w.appliesTo(spec({ move: null })), false);
    assert.equal(w.weigh(local, spec()), 0);
  });

  it('keeps a move in its cell even against much more free RAM elsewhere', () => {
    const ranked = weighHosts([remote, local], move, [new RamWeigher(), w], {});
    assert.deepEqual(ranked.map((x) => x.host.host), ['local', 'remote']);
    assert.equal(ranked[0]?.weight, 1_000_000 + 1024 / 65536);
  });

  it('has no say on create', () => {
    const ranked = weighHosts([remote, local], spec(), [new RamWeigher(), w], {});
    assert.deepEqual(ranked.map((x) => x.host.host), ['remote', 'local']);
  });

  it('follows cross_cell_move_weight_multiplier', () => {
    const opts = { cross_cell_move_weight_multiplier: 0.01, ram_weight_multiplier: 1 };
    assert.deepEqual(weighHosts([remote, local], move, [new RamWeigher(), w], opts).map((x) => x.host.host), ['remote', 'local']);
    const against = { cross_cell_move_weight_multiplier: -1000 };
    assert.deepEqual(weighHosts([local, remote], move, [w], against).map((x) => x.host.host), ['remote', 'local']);
  });

  it('has no say when every candidate is in one cell', () => {
    const other = host('other', { cellUuid: CELL2, freeRamMb: 2048 });
    const ranked = weighHosts([remote, other], move, [w], {});
    assert.deepEqual(ranked.map((x) => x.weight), [0, 0]);
  });
});
