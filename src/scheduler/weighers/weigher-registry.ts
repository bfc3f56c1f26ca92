import { TesseraError } from '../../common/errors.js';
import { BuildFailureWeigher } from './build-failure-weigher.js';
import { CpuWeigher } from './cpu-weigher.js';
import { CrossCellWeigher } from './cross-cell-weigher.js';
import { DiskWeigher } from './disk-weigher.js';
import type { HostWeigher } from './host-weigher.js';
import { NumInstancesWeigher } from './num-instances-weigher.js';
import { RamWeigher } from './ram-weigher.js';
import { ServerGroupSoftAffinityWeigher } from './server-group-soft-affinity-weigher.js';
import { ServerGroupSoftAntiAffinityWeigher } from './server-group-soft-anti-affinity-weigher.js';

/** The `weight_classes` value that selects every weigher. */
export const ALL_WEIGHERS = 'nova.scheduler.weights.all_weighers';

/** Nova's class paths, in the order `all_weighers` applies them. */
const KNOWN: Record<string, () => HostWeigher> = {
  'nova.scheduler.weights.ram.RAMWeigher': () => new RamWeigher(),
  'nova.scheduler.weights.cpu.CPUWeigher': () => new CpuWeigher(),
  'nova.scheduler.weights.disk.DiskWeigher': () => new DiskWeigher(),
  'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher': () => new ServerGroupSoftAffinityWeigher(),
  'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher': () => new ServerGroupSoftAntiAffinityWeigher(),
  'nova.scheduler.weights.compute.BuildFailureWeigher': () => new BuildFailureWeigher(),
  'nova.scheduler.weights.cross_cell.CrossCellWeigher': () => new CrossCellWeigher(),
  'nova.scheduler.weights.num_instances.NumInstancesWeigher': () => new NumInstancesWeigher(),
};

/** The values `[filter_scheduler] weight_classes` accepts. */
export function knownWeigherClasses(): string[] {
  return [ALL_WEIGHERS, ...Object.keys(KNOWN)];
}

/**
 * Builds the weighers named by `[filter_scheduler] weight_classes`: `all_weighers` or Nova class
 * paths. A weigher named twice (also through `all_weighers`) is used once. An unknown value stops
 * start-up.
 *
 * @example
 * weighersFromConfig(['nova.scheduler.weights.ram.RAMWeigher']) // [RamWeigher]
 */
export function weighersFromConfig(classes: readonly string[]): HostWeigher[] {
  const chosen = new Set<string>();
  for (const value of classes) {
    if (value === ALL_WEIGHERS) {
      for (const path of Object.keys(KNOWN)) chosen.add(path);
    } else if (Object.hasOwn(KNOWN, value)) {
      chosen.add(value);
    } else {
      throw new TesseraError(
        'config.unknown_weigher',
        500,
        `[filter_scheduler] weight_classes: unknown weigher ${value} (known: ${knownWeigherClasses().join(', ')})`,
      );
    }
  }
  return [...chosen].map((path) => (KNOWN[path] as () => HostWeigher)());
}
