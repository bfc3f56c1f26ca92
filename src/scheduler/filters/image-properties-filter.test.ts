import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalArchitecture, canonicalHypervisorType, canonicalVmMode, ImagePropertiesFilter } from './image-properties-filter.js';
import { host, spec } from './scheduler-harness.test.js';

describe('ImagePropertiesFilter', () => {
  const f = new ImagePropertiesFilter();
  const image = (properties: Record<string, string>) => spec({ image: { id: 'img', min_disk: 0, min_ram: 0, properties } });
  const fake = host('fake', { supportedInstances: [['x86_64', 'fake', 'hvm']] });
  const multi = host('multi', { supportedInstances: [['x86_64', 'qemu', 'hvm'], ['aarch64', 'qemu', 'hvm']] });
  const silent = host('silent');

  it('is named as in Nova', () => {
    assert.equal(f.name, 'ImagePropertiesFilter');
  });

  it('passes every host when the image names nothing it checks', () => {
    for (const h of [fake, multi, silent]) assert.equal(f.passes(h, image({ hw_disk_bus: 'virtio' })), true);
  });

  it('checks the architecture, hypervisor type and vm mode the image names', () => {
    assert.equal(f.passes(fake, image({ hw_architecture: 'x86_64' })), true);
    assert.equal(f.passes(fake, image({ hw_architecture: 'aarch64' })), false);
    assert.equal(f.passes(fake, image({ img_hv_type: 'fake' })), true);
    assert.equal(f.passes(fake, image({ img_hv_type: 'kvm' })), false);
    assert.equal(f.passes(fake, image({ hw_vm_mode: 'hvm' })), true);
    assert.equal(f.passes(fake, image({ hw_vm_mode: 'xen' })), false);
    assert.equal(f.passes(fake, image({ hw_architecture: 'x86_64', img_hv_type: 'fake', hw_vm_mode: 'hvm' })), true);
  });

  it('needs one supported instance to agree on everything named', () => {
    assert.equal(f.passes(multi, image({ hw_architecture: 'aarch64', img_hv_type: 'qemu' })), true);
    assert.equal(f.passes(multi, image({ hw_architecture: 'aarch64', img_hv_type: 'fake' })), false);
  });

  it('accepts the legacy property names, the current ones winning', () => {
    assert.equal(f.passes(fake, image({ architecture: 'x86_64', hypervisor_type: 'fake', vm_mode: 'hvm' })), true);
    assert.equal(f.passes(fake, image({ architecture: 'aarch64' })), false);
    assert.equal(f.passes(fake, image({ hw_architecture: 'x86_64', architecture: 'aarch64' })), true);
  });

  it('canonicalises names as Nova does', () => {
    assert.equal(f.passes(fake, image({ hw_architecture: 'AMD64' })), true);
    assert.equal(f.passes(fake, image({ hw_vm_mode: 'HV' })), true);
    assert.equal(canonicalArchitecture('i386'), 'i686');
    assert.equal(canonicalArchitecture('x86_32'), 'i686');
    assert.equal(canonicalHypervisorType('XAPI'), 'xen');
    assert.equal(canonicalVmMode('pv'), 'xen');
    assert.equal(canonicalVmMode('baremetal'), 'hvm');
  });

  it('refuses a host that advertises nothing when the image names something', () => {
    assert.equal(f.passes(silent, image({ hw_architecture: 'x86_64' })), false);
  });

  it('treats a blank property as unset', () => {
    assert.equal(f.passes(silent, image({ hw_architecture: ' ' })), true);
  });

  it('assumes the configured default architecture when the image names none', () => {
    const armDefault = new ImagePropertiesFilter({ image_properties_default_architecture: 'aarch64' });
    assert.equal(armDefault.passes(fake, image({})), false);
    assert.equal(armDefault.passes(multi, image({})), true);
    assert.equal(armDefault.passes(fake, image({ hw_architecture: 'x86_64' })), true);
    assert.equal(new ImagePropertiesFilter({ image_properties_default_architecture: '' }).passes(fake, image({})), true);
    assert.equal(new ImagePropertiesFilter({ image_properties_default_architecture: null }).passes(silent, image({})), true);
  });
});
