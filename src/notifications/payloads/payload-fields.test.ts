/**
 * The field names of each payload, written out from Nova's notification objects (the newest
 * versions: InstancePayload 1.9 and its children, InstanceExistsPayload 2.1, RequestSpecPayload
 * 1.1...). Independent of the golden samples, so that regenerating a sample cannot quietly accept
 * a field Nova does not have or lose one it has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CTX, MEDIUM, REQUEST_SPEC, sampleFailure, sampleInstance, NETWORK_INFO, BDMS } from '../sample-harness.test.js';
import { auditPeriodPayload } from './audit-period-payload.js';
import { computeTaskPayload } from './compute-task-payload.js';
import { exceptionPayload } from './exception-payload.js';
import { instanceActionPayload } from './instance-action-payload.js';
import { instanceActionResizePrepPayload } from './instance-action-resize-prep-payload.js';
import { instanceCreatePayload } from './instance-create-payload.js';
import { instanceExistsPayload } from './instance-exists-payload.js';

const INSTANCE_FIELDS = [
  'uuid', 'user_id', 'tenant_id', 'reservation_id', 'display_name', 'display_description', 'host_name', 'host', 'node', 'os_type', 'architecture',
  'availability_zone', 'flavor', 'image_uuid', 'key_name', 'kernel_id', 'ramdisk_id', 'created_at', 'launched_at', 'terminated_at', 'deleted_at',
  'updated_at', 'state', 'power_state', 'task_state', 'progress', 'ip_addresses', 'block_devices', 'metadata', 'locked', 'auto_disk_config',
  'request_id', 'action_initiator_user', 'action_initiator_project', 'locked_reason', 'shares',
];
const ACTION_FIELDS = [...INSTANCE_FIELDS, 'fault'];

const keys = (o: object): string[] => Object.keys(o).sort();
const source = { ctx: CTX, instance: sampleInstance(), networkInfo: NETWORK_INFO, bdms: BDMS };

describe("payload fields are Nova's", () => {
  it('InstanceActionPayload 1.9', () => {
    const p = instanceActionPayload(source, null);
    assert.equal(p['nova_object.version'], '1.9');
    assert.deepEqual(keys(p['nova_object.data']), [...ACTION_FIELDS].sort());
  });

  it('InstanceCreatePayload 1.13', () => {
    const p = instanceCreatePayload({ ...source, tags: [] }, null);
    assert.equal(p['nova_object.version'], '1.13');
    assert.deepEqual(keys(p['nova_object.data']), [...ACTION_FIELDS, 'keypairs', 'tags', 'trusted_image_certificates', 'instance_name'].sort());
  });

  it('InstanceActionResizePrepPayload 1.4', () => {
    const p = instanceActionResizePrepPayload(source, null, MEDIUM);
    assert.equal(p['nova_object.version'], '1.4');
    assert.deepEqual(keys(p['nova_object.data']), [...ACTION_FIELDS, 'new_flavor'].sort());
  });

  it('InstanceExistsPayload 2.1 (no bandwidth since 2.0)', () => {
    const p = instanceExistsPayload(source, auditPeriodPayload({ beginning: new Date(0), ending: new Date(0) }));
    assert.equal(p['nova_object.version'], '2.1');
    assert.deepEqual(keys(p['nova_object.data']), [...INSTANCE_FIELDS, 'audit_period'].sort());
  });

  it('FlavorPayload 1.4, IpPayload 1.0, BlockDevicePayload 1.0', () => {
    const d = instanceActionPayload(source, null)['nova_object.data'];
    assert.deepEqual(keys(d.flavor['nova_object.data']), ['description', 'disabled', 'ephemeral_gb', 'extra_specs', 'flavorid', 'is_public', 'memory_mb', 'name', 'projects', 'root_gb', 'rxtx_factor', 'swap', 'vcpu_weight', 'vcpus']);
    assert.deepEqual(keys((d.ip_addresses[0] ?? assert.fail())['nova_object.data']), ['address', 'device_name', 'label', 'mac', 'meta', 'port_uuid', 'version']);
    assert.deepEqual(keys((d.block_devices?.[0] ?? assert.fail())['nova_object.data']), ['boot_index', 'delete_on_termination', 'device_name', 'tag', 'volume_id']);
  });

  it('ComputeTaskPayload 1.0 with RequestSpecPayload 1.1 and ExceptionPayload 1.1', () => {
    const p = computeTaskPayload({ instanceUuid: REQUEST_SPEC.instance_uuid, requestSpec: REQUEST_SPEC, state: 'active', reason: exceptionPayload(sampleFailure()) });
    const d = p['nova_object.data'];
    assert.deepEqual(keys(d), ['instance_uuid', 'reason', 'request_spec', 'state']);
    assert.deepEqual(keys(d.request_spec?.['nova_object.data'] ?? assert.fail()), [
      'availability_zone', 'flavor', 'force_hosts', 'force_nodes', 'ignore_hosts', 'image', 'instance_group', 'instance_uuid', 'num_instances', 'numa_topology',
      'pci_requests', 'project_id', 'requested_destination', 'retry', 'scheduler_hints', 'security_groups', 'user_id',
    ]);
    assert.deepEqual(keys(d.reason['nova_object.data']), ['exception', 'exception_message', 'function_name', 'module_name', 'traceback']);
  });
});

describe('exceptionPayload', () => {
  it('names the class, the innermost Tessera frame as a dotted module, and follows causes', () => {
    const cause = new Error('disk full');
    const err = new Error('upload failed', { cause });
    const d = exceptionPayload(err)['nova_object.data'];
    assert.equal(d.exception, 'Error');
    assert.equal(d.exception_message, 'upload failed');
    assert.match(d.module_name, /^tessera\.notifications\.payloads\.payload-fields\.test$/);
    assert.match(d.traceback, /upload failed[\s\S]*Caused by: Error: disk full/);
  });

  it('describes a thrown non-error', () => {
    const d = exceptionPayload('boom')['nova_object.data'];
    assert.deepEqual({ ...d, traceback: d.traceback }, { module_name: 'unknown', function_name: 'unknown', exception: 'string', exception_message: 'boom', traceback: 'boom' });
  });
});
