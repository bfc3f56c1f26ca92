import type { AddressRange } from './allocation-pools.js';

/**
 * The first `count` addresses of the pools, in pool order, that are neither allocated nor the
 * gateway. Walks the pools from their start and stops early, so the cost grows with the number
 * of allocated addresses, not with the size of the subnet.
 *
 * @example
 * freeAddresses([{ first: 10, last: 14 }], new Set([10, 11]), 2); // [12, 13]
 */
export function freeAddresses(ranges: readonly AddressRange[], taken: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (const range of [...ranges].sort((a, b) => a.first - b.first)) {
    for (let address = range.first; address <= range.last && out.length < count; address++) {
      if (!taken.has(address)) out.push(address);
    }
    if (out.length >= count) break;
  }
  return out;
}

/** Whether the address lies in one of the pools. */
export function inPools(ranges: readonly AddressRange[], address: number): boolean {
  return ranges.some((r) => address >= r.first && address <= r.last);
}
