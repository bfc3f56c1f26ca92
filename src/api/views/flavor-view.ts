import type { Flavor } from '../../objects/flavor.js';
import { atLeast, type Microversion } from '../microversion.js';

/** What shaping a flavor body needs beyond the flavor itself. */
export interface FlavorViewContext {
  mv: Microversion;
  /** e.g. `http://127.0.0.1:8774/compute` */
  computeRoot: string;
  /** `v2.1` or `v2`, as the request came in. */
  version: string;
  /** At 2.61+, whether the caller may see extra specs (os-flavor-extra-specs:index). */
  mayListExtraSpecs: boolean;
}

type Link = { rel: string; href: string };

export function flavorLinks(v: FlavorViewContext, flavorid: string): Link[] {
  const id = encodeURIComponent(flavorid);
  return [
    { rel: 'self', href: `${v.computeRoot}/${v.version}/flavors/${id}` },
    { rel: 'bookmark', href: `${v.computeRoot}/flavors/${id}` },
  ];
}

/** An entry of GET /flavors: id, name, links, and the description from 2.55. */
export function flavorSummary(v: FlavorViewContext, f: Flavor): Record<string, unknown> {
  const body: Record<string, unknown> = { id: f.flavorid, name: f.name, links: flavorLinks(v, f.flavorid) };
  if (atLeast(v.mv, '2.55')) body['description'] = f.description;
  return body;
}

/**
 * The full flavor of GET /flavors/{id}, /flavors/detail and the write APIs. Nova shows a swap of
 * 0 as "" until 2.75; 2.55 adds the description and 2.61 the extra specs (for callers allowed to
 * list them).
 */
export function flavorDetail(v: FlavorViewContext, f: Flavor): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: f.flavorid,
    name: f.name,
    ram: f.memory_mb,
    disk: f.root_gb,
    swap: f.swap === 0 && !atLeast(v.mv, '2.75') ? '' : f.swap,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.is_public,
    rxtx_factor: f.rxtx_factor,
    links: flavorLinks(v, f.flavorid),
  };
  if (atLeast(v.mv, '2.55')) body['description'] = f.description;
  if (atLeast(v.mv, '2.61') && v.mayListExtraSpecs) body['extra_specs'] = { ...f.extra_specs };
  return body;
}

/**
 * A list body: `{"flavors": [...]}` plus `flavors_links` with a `next` link when the page is full.
 * The link repeats the request's query (sorted, as Nova does) with the marker set to the last id.
 */
export function flavorCollection(
  v: FlavorViewContext,
  page: { flavors: Flavor[]; pageSize: number },
  detail: boolean,
  query: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { flavors: page.flavors.map((f) => (detail ? flavorDetail(v, f) : flavorSummary(v, f))) };
  const last = page.flavors[page.flavors.length - 1];
  if (last !== undefined && page.pageSize > 0 && page.flavors.length === page.pageSize) {
    const params = new URLSearchParams();
    for (const key of Object.keys(query).sort()) params.append(key, key === 'marker' ? last.flavorid : (query[key] ?? ''));
    if (!params.has('marker')) params.append('marker', last.flavorid);
    body['flavors_links'] = [{ rel: 'next', href: `${v.computeRoot}/${v.version}/flavors${detail ? '/detail' : ''}?${params.toString()}` }];
  }
  return body;
}
