/**
 * Notifications name the power state where the database keeps Nova's number: the names of Nova's
 * InstancePowerState enum, indexed by the number (2 and 5 are unused there too).
 */
const NAMES: Readonly<Record<number, string>> = {
  0: 'pending',
  1: 'running',
  3: 'paused',
  4: 'shutdown',
  6: 'crashed',
  7: 'suspended',
};

/** The name of a power state number; an unknown number reads as `pending` (no state). */
export function powerStateName(powerState: number): string {
  return NAMES[powerState] ?? 'pending';
}
