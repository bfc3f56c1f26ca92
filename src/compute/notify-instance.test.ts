import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { Instance } from '../objects/instance.js';
import type { InstanceNotifier } from '../notifications/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { notifyInstance } from './notify-instance.js';

const ctx = { requestId: 'req-1' } as RequestContext;

function setup(enabled: boolean) {
  const reads: string[] = [];
  const sent: { action: string; phase: string; uuid: string }[] = [];
  const notifier: InstanceNotifier = {
    enabled,
    instanceAction: (_ctx, _repos, input) => Promise.resolve(void sent.push({ action: input.action, phase: input.phase, uuid: input.instance.uuid })),
    instanceExists: () => Promise.resolve(),
    computeTaskError: () => Promise.resolve(),
  };
  const find = (uuid: string): Promise<Instance> => {
    reads.push(uuid);
    return Promise.resolve({ uuid } as Instance);
  };
  const repos = { instances: { find } } as unknown as HandlerDeps['repos'];
  return { deps: { notifier, repos, host: 'host-1', logger: silentLogger() }, reads, sent };
}

describe('notifyInstance', () => {
  it('reads the instance and sends what the database holds when something would receive it', async () => {
    const { deps, reads, sent } = setup(true);
    await notifyInstance(deps, ctx, 'i-1', 'create', 'start');
    assert.deepEqual(reads, ['i-1']);
    assert.deepEqual(sent, [{ action: 'create', phase: 'start', uuid: 'i-1' }]);
  });

  it('reads nothing when nothing would receive it', async () => {
    const { deps, reads, sent } = setup(false);
    await notifyInstance(deps, ctx, 'i-1', 'create', 'end');
    assert.deepEqual(reads, []);
    assert.deepEqual(sent, []);
  });
});
