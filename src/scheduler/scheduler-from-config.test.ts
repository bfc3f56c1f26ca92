import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SystemClock } from '../common/clock.js';
import { parseConfigText } from '../config/load-config.js';
import { recordingLogger } from '../network/network-harness.test.js';
import type { SchedulerServiceSources } from './scheduler-from-config.js';
import { schedulerFromConfig } from './scheduler-from-config.js';

function build(text: string): Record<string, unknown>[] {
  const { logger, lines } = recordingLogger();
  // Building the scheduler touches none of its services; they are not needed here.
  const unused = {} as never;
  const sources: SchedulerServiceSources = { config: parseConfigText(text, 'test.conf'), bus: unused, api: unused, cells: unused, placement: unused, clock: new SystemClock(), logger };
  schedulerFromConfig(sources);
  return lines();
}

describe('schedulerFromConfig', () => {
  it("accepts Nova's [scheduler] workers and says that more than one is ignored", () => {
    assert.deepEqual(build('[scheduler]\nworkers = 1\n').filter((l) => l['level'] === 40), []);
    const warned = build('[scheduler]\nworkers = 4\n').filter((l) => l['level'] === 40);
    assert.equal(warned.length, 1);
    assert.equal(warned[0]?.['workers'], 4);
    assert.match(String(warned[0]?.['msg']), /workers is ignored/);
  });
});
