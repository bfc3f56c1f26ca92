import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { TesseraError } from '../../common/errors.js';
import { silentLogger } from '../../common/logger.js';
import { NoopInstanceNotifier } from '../../notifications/index.js';
import type { Instance } from '../../objects/instance.js';
import { ADMIN, DEFAULT_NETWORK_ID, MEMBER, startAttachmentHarness, type AttachmentHarness } from '../attachments/attachment-harness.test.js';
import type { HandlerDeps } from '../handler-deps.js';
import { InstanceLocks } from '../instance-locks.js';
import { attachInterfaceHandler, detachInterfaceHandler } from './interface-attachment-handlers.js';
import { attachVolumeHandler, detachVolumeHandler } from './volume-attachment-handlers.js';

describe('attachment handlers (compute RPC)', () => {
  let h: AttachmentHarness;
  let deps: HandlerDeps;
  before(async () => {
    h = await startAttachmentHarness();
    // The handlers use the host, the cell's repositories, the driver, the two clients, locks, the notifier, clock and logger.
    deps = {
      host: 'cell1-compute1', repos: h.repos, driver: h.driver, volumes: h.volumes, network: h.network.client(), locks: new InstanceLocks(),
      notifier: new NoopInstanceNotifier(), clock: new ManualClock(), logger: silentLogger(),
    } as unknown as HandlerDeps;
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => h.faults.disarm());

  async function started(action: string): Promise<Instance> {
    const instance = await h.instance();
    await h.repos.actions.start({ action, instanceUuid: instance.uuid, requestId: MEMBER.requestId, userId: MEMBER.userId, projectId: MEMBER.projectId });
    return instance;
  }
  const events = (uuid: string) =>
    h.repos.db
      .selectFrom('instance_actions_events')
      .innerJoin('instance_actions', 'instance_actions.id', 'instance_actions_events.action_id')
      .select(['instance_actions_events.event', 'instance_actions_events.result', 'instance_actions_events.host'])
      .where('instance_actions.instance_uuid', '=', uuid)
      .orderBy('instance_actions_events.id')
      .execute();
  const faults = (uuid: string) => h.repos.db.selectFrom('instance_faults').select(['code', 'message']).where('instance_uuid', '=', uuid).execute();

  it('attach_volume and detach_volume record their events and answer with the mapping', async () => {
    const instance = await started('attach_volume');
    const volume = await h.volumes.create(MEMBER, { size: 1 });
    const reserved = await h.volumes.attachmentCreate(MEMBER, volume.id, instance.uuid);
    const bdm = await attachVolumeHandler(deps, MEMBER, { instance_uuid: instance.uuid, volume_id: volume.id, attachment_id: reserved.id, device: null, tag: 'v', delete_on_termination: false });
    assert.equal(bdm.device_name, '/dev/vdb');
    await detachVolumeHandler(deps, MEMBER, { instance_uuid: instance.uuid, volume_id: volume.id });
    assert.deepEqual(await events(instance.uuid), [
      { event: 'compute_attach_volume', result: 'Success', host: 'cell1-compute1' },
      { event: 'compute_detach_volume', result: 'Success', host: 'cell1-compute1' },
    ]);
    assert.equal((await h.volumes.get(ADMIN, volume.id)).status, 'available');
  });

  it('a failed attach_volume records an Error event and a fault, leaves the instance as it was, and throws', async () => {
    const instance = await started('attach_volume');
    const volume = await h.volumes.create(MEMBER, { size: 1 });
    const reserved = await h.volumes.attachmentCreate(MEMBER, volume.id, instance.uuid);
    h.faults.arm('virt.attach_volume');
    await assert.rejects(
      attachVolumeHandler(deps, MEMBER, { instance_uuid: instance.uuid, volume_id: volume.id, attachment_id: reserved.id, device: null, tag: null, delete_on_termination: false }),
      (err) => err instanceof TesseraError && err.code === 'fault.injected',
    );
    assert.deepEqual((await events(instance.uuid)).map((e) => [e.event, e.result]), [['compute_attach_volume', 'Error']]);
    assert.deepEqual((await faults(instance.uuid)).map((f) => f.code), [500]);
    const now = await h.repos.instances.get(instance.uuid);
    assert.deepEqual([now.vm_state, now.task_state], [instance.vm_state, instance.task_state]);
  });

  it('attach_interface answers with the bound port and its tag; detach_interface deletes it; both are events', async () => {
    const instance = await started('attach_interface');
    const { port, tag } = await attachInterfaceHandler(deps, MEMBER, { instance_uuid: instance.uuid, port_id: null, network_id: DEFAULT_NETWORK_ID, fixed_ips: null, tag: 'nic' });
    assert.equal(tag, 'nic');
    assert.equal(port.device_id, instance.uuid);
    await detachInterfaceHandler(deps, MEMBER, { instance_uuid: instance.uuid, port_id: port.id });
    await assert.rejects(h.network.client().getPort(ADMIN, port.id), (err) => err instanceof TesseraError && err.code === 'network.port_not_found');
    assert.deepEqual((await events(instance.uuid)).map((e) => [e.event, e.result]), [['compute_attach_interface', 'Success'], ['compute_detach_interface', 'Success']]);
  });

  it('a failed detach_interface records an Error event and a fault', async () => {
    const instance = await started('detach_interface');
    await assert.rejects(detachInterfaceHandler(deps, MEMBER, { instance_uuid: instance.uuid, port_id: '00000000-0000-4000-8000-000000000000' }));
    assert.deepEqual((await events(instance.uuid)).map((e) => [e.event, e.result]), [['compute_detach_interface', 'Error']]);
    assert.deepEqual((await faults(instance.uuid)).map((f) => f.code), [404]);
  });
});
