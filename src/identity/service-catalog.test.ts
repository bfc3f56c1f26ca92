import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceCatalog } from './service-catalog.js';

describe('ServiceCatalog', () => {
  const services = [
    { type: 'compute', name: 'nova', path: '/compute/v2.1' },
    { type: 'image', name: 'glance', path: 'image' },
  ];

  it('lists each given service with public, internal and admin endpoints at the base URL', () => {
    const catalog = new ServiceCatalog({ services, region: 'RegionTwo' }).build('http://10.0.0.5:8774/');
    assert.deepEqual(catalog.map((e) => e.type), ['compute', 'image']);
    const compute = catalog[0];
    assert.ok(compute);
    assert.equal(compute.name, 'nova');
    assert.match(compute.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(compute.endpoints.map((e) => e.interface), ['public', 'internal', 'admin']);
    for (const e of compute.endpoints) {
      assert.equal(e.url, 'http://10.0.0.5:8774/compute/v2.1');
      assert.equal(e.region, 'RegionTwo');
      assert.equal(e.region_id, 'RegionTwo');
      assert.match(e.id, /^[0-9a-f]{32}$/);
    }
    assert.equal(catalog[1]?.endpoints[0]?.url, 'http://10.0.0.5:8774/image');
  });

  it('keeps ids stable and uses the default base URL', () => {
    const a = new ServiceCatalog({ services, region: 'RegionOne', baseUrl: 'http://h' }).build();
    const b = new ServiceCatalog({ services, region: 'RegionOne' }).build('http://other');
    assert.equal(a[0]?.id, b[0]?.id);
    assert.equal(a[0]?.endpoints[1]?.id, b[0]?.endpoints[1]?.id);
    assert.equal(a[0]?.endpoints[0]?.url, 'http://h/compute/v2.1');
    assert.throws(() => new ServiceCatalog({ services, region: 'RegionOne' }).build());
  });
});
