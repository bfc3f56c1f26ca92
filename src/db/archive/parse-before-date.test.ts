import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../common/errors.js';
import { formatCountsTable } from './format-counts-table.js';
import { parseBeforeDate } from './parse-before-date.js';

describe('parseBeforeDate', () => {
  it('reads dates without a zone as UTC, ISO dates with one, and the output of date', () => {
    assert.equal(parseBeforeDate('2026-01-31').toISOString(), '2026-01-31T00:00:00.000Z');
    assert.equal(parseBeforeDate('2026-01-31 12:30').toISOString(), '2026-01-31T12:30:00.000Z');
    assert.equal(parseBeforeDate('2026-01-31 12:30:15').toISOString(), '2026-01-31T12:30:15.000Z');
    assert.equal(parseBeforeDate('2026-01-31T12:30:15+02:00').toISOString(), '2026-01-31T10:30:15.000Z');
    assert.equal(parseBeforeDate('Thu Aug 21 21:01:48 UTC 2026').toISOString(), '2026-08-21T21:01:48.000Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['', 'yesterday-ish', '2026-02-31', '2026-01-01 25:00']) assert.throws(() => parseBeforeDate(bad), BadRequestError, bad);
  });
});

describe('formatCountsTable', () => {
  it('prints nova-manage\'s table, sorted', () => {
    const text = formatCountsTable(new Map([['cell1.instances', 2], ['API_DB.instance_mappings', 2]]), ['Table', 'Number of Rows Archived']);
    assert.equal(text, [
      '+--------------------------+-------------------------+',
      '| Table                    | Number of Rows Archived |',
      '+--------------------------+-------------------------+',
      '| API_DB.instance_mappings | 2                       |',
      '| cell1.instances          | 2                       |',
      '+--------------------------+-------------------------+',
    ].join('\n'));
  });
});
