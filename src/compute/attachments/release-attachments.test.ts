import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import { attachPort } from './port-attachment.js';
import { releasePorts } from './release-attachments.js';
import { ADMIN, DEFAULT_NETWORK_ID, MEMBER, startAttachmentHarness, type AttachmentHarness } from './attachment-harness.test.js';

describe('releasing every port of an instance (deletion)', () => {
  let h: AttachmentHarness;
  before(async () => {
    h = await startAttachmentHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => h.faults.disarm());

  it('deletes the ports it created and unbinds the user\'s', async () => {
    const instance = await h.instance();
    const created = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID });
    const mine = await h.network.client().createPort(MEMBER, { network_id: DEFAULT_NETWORK_ID });
    await attachPort(h.portDeps, MEMBER, { instance, portId: mine.id });
    await h.driver.destroy(instance.uuid);
    await releasePorts(h.portDeps, MEMBER, instance.uuid, { driverDetach: false });
    await assert.rejects(h.network.client().getPort(ADMIN, created.port.id), (err) => err instanceof TesseraError && err.code === 'network.port_not_found');
    const kept = await h.network.client().getPort(ADMIN, mine.id);
    assert.deepEqual([kept.device_id, kept['binding:host_id']], ['', '']);
    assert.deepEqual(await h.repos.vifs.list(instance.uuid), []);
    assert.deepEqual((await h.repos.vifs.networkInfoFor([instance.uuid])).get(instance.uuid), []);
  });
});
