const cache = new WeakMap<readonly string[], { length: number; set: ReadonlySet<string> }>();

/**
 * The list as a set, built once per list: filters and weighers ask for the same request-wide list
 * (group members, hint uuids) once per candidate host, thousands of times per decision. A list that
 * grows (the scheduler appends to it between instances of a request) is rebuilt; lists are
 * otherwise treated as unchanging.
 *
 * @example
 * uuidSet(spec.instance_group.members).has(uuid)
 */
export function uuidSet(list: readonly string[]): ReadonlySet<string> {
  const hit = cache.get(list);
  if (hit !== undefined && hit.length === list.length) return hit.set;
  const set = new Set(list);
  cache.set(list, { length: list.length, set });
  return set;
}

// Below this many uuids, scanning the host's list per uuid beats hashing every host instance.
const SCAN_BELOW = 8;

/** How many of the host's instances are in `uuids` (both lists free of duplicates). */
export function countOverlap(hostInstanceUuids: readonly string[] | undefined, uuids: readonly string[]): number {
  if (hostInstanceUuids === undefined || hostInstanceUuids.length === 0 || uuids.length === 0) return 0;
  if (uuids.length < SCAN_BELOW) {
    let found = 0;
    for (const u of uuids) if (hostInstanceUuids.includes(u)) found += 1;
    return found;
  }
  const wanted = uuidSet(uuids);
  let n = 0;
  for (const u of hostInstanceUuids) if (wanted.has(u)) n += 1;
  return n;
}
