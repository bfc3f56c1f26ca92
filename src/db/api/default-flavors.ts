import type { Flavor } from '../../objects/flavor.js';
import type { FlavorRepo, NewFlavor } from './flavor-repo.js';

type FlavorSize = Pick<NewFlavor, 'flavorid' | 'name' | 'memory_mb' | 'root_gb' | 'vcpus'>;

/** The classic m1 series that Nova used to ship, plus devstack's two small test flavors. */
const DEFAULT_SIZES: readonly FlavorSize[] = [
  { flavorid: '1', name: 'm1.tiny', memory_mb: 512, root_gb: 1, vcpus: 1 },
  { flavorid: '2', name: 'm1.small', memory_mb: 2048, root_gb: 20, vcpus: 1 },
  { flavorid: '3', name: 'm1.medium', memory_mb: 4096, root_gb: 40, vcpus: 2 },
  { flavorid: '4', name: 'm1.large', memory_mb: 8192, root_gb: 80, vcpus: 4 },
  { flavorid: '5', name: 'm1.xlarge', memory_mb: 16384, root_gb: 160, vcpus: 8 },
  { flavorid: '42', name: 'm1.nano', memory_mb: 128, root_gb: 1, vcpus: 1 },
  { flavorid: '84', name: 'm1.micro', memory_mb: 192, root_gb: 1, vcpus: 1 },
];

/**
 * Seeds a fresh cloud with public flavors so that `openstack server create --flavor m1.tiny`
 * works out of the box. Does nothing once any flavor exists: an operator who deleted or replaced
 * the defaults must not see them come back on the next start.
 *
 * @returns the flavors it created (empty when the table already had rows).
 */
export async function ensureDefaultFlavors(flavors: FlavorRepo): Promise<Flavor[]> {
  if ((await flavors.list()).length > 0) return [];
  const created: Flavor[] = [];
  for (const size of DEFAULT_SIZES) {
    created.push(await flavors.create({ ...size, ephemeral_gb: 0, swap: 0, rxtx_factor: 1.0, is_public: true, description: null }));
  }
  return created;
}
