import type { Aggregate } from '../../db/api/aggregate-repo.js';

const ZONE_KEY = 'availability_zone';

/** The availability zone an aggregate gives its hosts, if it has one. */
export function zoneOf(agg: Aggregate): string | undefined {
  return agg.metadata[ZONE_KEY];
}

/**
 * Nova's `is_safe_to_update_az`: when a change sets the zone of `target` (to `zone`, for `hosts`),
 * the zone must have a name, and none of those hosts may already be in another aggregate with a
 * different zone, since a host is in one zone only. Returns the reason to refuse, if any.
 */
export function zoneConflict(target: Aggregate, all: readonly Aggregate[], zone: string | null, hosts: readonly string[]): string | undefined {
  if (zone === null || zone === '') return `Aggregate ${target.name} does not support empty named availability zone`;
  const conflicting = all
    .filter((a) => a.id !== target.id && a.hosts.some((h) => hosts.includes(h)))
    .map(zoneOf)
    .filter((z): z is string => z !== undefined && z !== zone);
  if (conflicting.length === 0) return undefined;
  return `One or more hosts already in availability zone(s) ${pythonList(conflicting)}`;
}

/**
 * Tessera's own rule: the zone of non-compute services is not a zone to boot into, so no aggregate
 * may take its name (its hosts would vanish from the zone list). Returns the reason to refuse.
 */
export function reservedZone(zone: string | null | undefined, internalZone: string): string | undefined {
  if (zone !== internalZone) return undefined;
  return `The availability zone name '${internalZone}' is reserved for internal services`;
}

/** The zone a host has when it is in the aggregates `all` (ignoring `except`); undefined for none. */
export function zoneOfHost(host: string, all: readonly Aggregate[], except?: number): string | undefined {
  for (const agg of all) {
    if (agg.id === except || !agg.hosts.includes(host)) continue;
    const zone = zoneOf(agg);
    if (zone !== undefined) return zone;
  }
  return undefined;
}

/**
 * Why a host with instances cannot change zone (Nova refuses: the instances would silently move
 * between zones).
 */
export function zoneMoveReason(verb: 'added to' | 'removed from', from: string | undefined, to: string | undefined, instances: number): string {
  return (
    `The host cannot be ${verb} the aggregate as the availability zone of the host would change from ` +
    `'${from ?? 'None'}' to '${to ?? 'None'}' but the host already has ${instances} instance(s). Changing the AZ of an ` +
    'existing instance is not supported by this action. Move the instances away from this host then try again. If you ' +
    'need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this.'
  );
}

// Nova formats the list with Python's repr: ['az1', 'az2'].
function pythonList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
