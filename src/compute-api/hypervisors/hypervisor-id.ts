/**
 * Hypervisor ids below 2.53 are integers, and Nova's are the compute node's row id, which repeats
 * from cell to cell. Tessera makes them unique and stable instead: the cell mapping's id times
 * 10^9, plus the node's id in its cell database. A node with id 3 in the cell mapped as id 2 is
 * hypervisor 2000000003. From 2.53 the id is the node's uuid, unique by itself.
 */
export const CELL_ID_FACTOR = 1_000_000_000;

export function encodeHypervisorId(cellId: number, nodeId: number): number {
  return cellId * CELL_ID_FACTOR + nodeId;
}

/** The cell mapping id and node id an integer hypervisor id names, or undefined when it names none. */
export function decodeHypervisorId(text: string): { cellId: number; nodeId: number } | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const nodeId = id % CELL_ID_FACTOR;
  const cellId = (id - nodeId) / CELL_ID_FACTOR;
  return nodeId === 0 || cellId === 0 ? undefined : { cellId, nodeId };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Whether an id looks like a uuid (with or without dashes, as oslo's `is_uuid_like`). */
export function isUuidLike(text: string): boolean {
  return UUID.test(text);
}

/** The canonical dashed lower-case form of a uuid-like id. */
export function canonicalUuid(text: string): string {
  const hex = text.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
