import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import { deviceLetters, matchDevice, nextDeviceName } from './device-name.js';

const NO_LOCAL = { ephemeral_gb: 0, swap: 0 };
const volumeAt = (device_name: string, boot_index: number | null = null) => ({ device_name, boot_index, destination_type: 'volume' as const });
const hasCode = (code: string) => (err: unknown) => err instanceof TesseraError && err.code === code;

describe('device names', () => {
  it('numbers letters as Nova does', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(deviceLetters), ['a', 'b', 'z', 'aa', 'ab', 'az', 'ba', 'zz', 'aaa']);
  });

  it('matches device paths like Nova\'s match_device', () => {
    assert.deepEqual(matchDevice('/dev/vdb'), { prefix: '/dev/vd', letters: 'b' });
    assert.deepEqual(matchDevice('/dev/xvdc'), { prefix: '/dev/xvd', letters: 'c' });
    assert.deepEqual(matchDevice('/dev/sda1'), { prefix: '/dev/sd', letters: 'a' });
    assert.equal(matchDevice('vdb'), undefined);
    assert.equal(matchDevice('/dev/VDB'), undefined);
  });

  it('takes the first free letter after the root', () => {
    assert.equal(nextDeviceName({ bdms: [], flavor: NO_LOCAL }), '/dev/vdb');
    assert.equal(nextDeviceName({ bdms: [volumeAt('/dev/vdb'), volumeAt('/dev/vdd')], flavor: NO_LOCAL }), '/dev/vdc');
    assert.equal(nextDeviceName({ bdms: [volumeAt('/dev/vdb'), volumeAt('/dev/vdc')], flavor: NO_LOCAL }), '/dev/vdd');
  });

  it('keeps the root volume\'s prefix', () => {
    assert.equal(nextDeviceName({ bdms: [volumeAt('/dev/sda', 0)], flavor: NO_LOCAL }), '/dev/sdb');
  });

  it('leaves room for the flavor\'s ephemeral disk and swap when no mapping names them', () => {
    assert.equal(nextDeviceName({ bdms: [], flavor: { ephemeral_gb: 1, swap: 0 } }), '/dev/vdc');
    assert.equal(nextDeviceName({ bdms: [], flavor: { ephemeral_gb: 1, swap: 512 } }), '/dev/vdd');
    const named = [{ device_name: '/dev/vdb', boot_index: -1, destination_type: 'local' as const }];
    assert.equal(nextDeviceName({ bdms: named, flavor: { ephemeral_gb: 1, swap: 0 } }), '/dev/vdc');
  });

  it('honours a free requested letter with the root\'s prefix, refuses a taken one', () => {
    assert.equal(nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: '/dev/vdf' }), '/dev/vdf');
    assert.equal(nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: '/dev/sdc' }), '/dev/vdc');
    assert.throws(() => nextDeviceName({ bdms: [volumeAt('/dev/vdb')], flavor: NO_LOCAL, requested: '/dev/vdb' }), hasCode('compute.device_path_in_use'));
    assert.throws(() => nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: '/dev/vda' }), hasCode('compute.device_path_in_use'));
    assert.throws(() => nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: 'sdb' }), hasCode('compute.invalid_device_path'));
  });

  it('treats an empty or null request as none', () => {
    assert.equal(nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: null }), '/dev/vdb');
    assert.equal(nextDeviceName({ bdms: [], flavor: NO_LOCAL, requested: '' }), '/dev/vdb');
  });
});
