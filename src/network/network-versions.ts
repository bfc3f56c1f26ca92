/** Neutron's version document (`GET /` of the network endpoint), which keystoneauth reads to find v2.0. */
export interface NetworkVersionsDocument {
  versions: { id: 'v2.0'; status: 'CURRENT'; links: { rel: 'self'; href: string }[] }[];
}

/**
 * @example
 * networkVersionsDocument('http://cloud/network') // { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: 'http://cloud/network/v2.0/' }] }] }
 */
export function networkVersionsDocument(endpoint: string): NetworkVersionsDocument {
  return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${endpoint}/v2.0/` }] }] };
}

/** Neutron's `GET /v2.0/`: the core collections and where they are. */
export function networkResourcesDocument(base: string): { resources: { name: string; collection: string; links: { rel: 'self'; href: string }[] }[] } {
  return {
    resources: (['network', 'subnet', 'port'] as const).map((name) => ({ name, collection: `${name}s`, links: [{ rel: 'self' as const, href: `${base}/${name}s` }] })),
  };
}
