import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../common/errors.js';
import { changesWindow, parseIsoTime } from './changes-window.js';

describe('parseIsoTime', () => {
  it('reads ISO 8601 times as Nova does, a missing zone being UTC', () => {
    assert.equal(parseIsoTime('2018-04-25T01:26:29Z'), '2018-04-25T01:26:29.000Z');
    assert.equal(parseIsoTime('2018-04-25T01:26:29'), '2018-04-25T01:26:29.000Z');
    assert.equal(parseIsoTime('2018-04-25T01:26:29.123456'), '2018-04-25T01:26:29.123Z');
    assert.equal(parseIsoTime('2018-04-25T03:26:29+02:00'), '2018-04-25T01:26:29.000Z');
    assert.equal(parseIsoTime('2018-04-24T23:26:29-0200'), '2018-04-25T01:26:29.000Z');
    assert.equal(parseIsoTime('2018-04-25'), '2018-04-25T00:00:00.000Z');
    assert.equal(parseIsoTime('20180425T012629Z'), '2018-04-25T01:26:29.000Z');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', 'yesterday', '2018-13-01T00:00:00Z', '2018-02-30T00:00:00Z', '2018-04-25T25:00:00Z', '1524619589']) {
      assert.equal(parseIsoTime(bad), undefined, bad);
    }
  });
});

describe('changesWindow', () => {
  it('returns both bounds in UTC', () => {
    assert.deepEqual(changesWindow({}), {});
    assert.deepEqual(changesWindow({ 'changes-since': '2018-04-25T01:26:29Z', 'changes-before': '2018-04-25T01:26:29Z' }), {
      changesSince: '2018-04-25T01:26:29.000Z', changesBefore: '2018-04-25T01:26:29.000Z',
    });
  });

  it('is a 400 for a bad time, naming the parameter, and for since after before', () => {
    assert.throws(() => changesWindow({ 'changes-since': 'nope' }), (e: unknown) => e instanceof BadRequestError && /changes-since.*'nope' is not a 'date-time'/.test(e.message));
    assert.throws(() => changesWindow({ 'changes-before': 'nope' }), (e: unknown) => e instanceof BadRequestError && /changes-before/.test(e.message));
    assert.throws(
      () => changesWindow({ 'changes-since': '2018-04-26T00:00:00Z', 'changes-before': '2018-04-25T00:00:00Z' }),
      (e: unknown) => e instanceof BadRequestError && e.message === 'The value of changes-since must be less than or equal to changes-before.',
    );
  });
});
