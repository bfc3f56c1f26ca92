import { InternalError } from '../common/errors.js';
import { stableId } from './stable-id.js';

/** A service this deployment serves, and the path it is mounted at. */
export interface CatalogService {
  /** Catalog type clients look up: `compute`, `image`, `identity`, `placement`. */
  type: string;
  /** Service name: `nova`, `glance`, `keystone`, `placement`. */
  name: string;
  /** Path under the base URL, e.g. `/compute/v2.1`. */
  path: string;
}

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface CatalogEndpoint {
  id: string;
  interface: EndpointInterface;
  region: string;
  region_id: string;
  url: string;
}

/** One catalog entry, as Keystone's token body carries it. */
export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

export interface ServiceCatalogDeps {
  /** Only services that are actually served: clients change behaviour on what is listed. */
  services: readonly CatalogService[];
  region: string;
  /** Used when `build` is given no base URL. */
  baseUrl?: string;
}

const INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/**
 * The service catalog of the token body: every listed service with a public, internal and admin
 * endpoint at the same URL. Service and endpoint ids are derived from the service type, so they
 * are the same in every token.
 *
 * @example
 * const catalog = new ServiceCatalog({ services: [{ type: 'compute', name: 'nova', path: '/compute/v2.1' }], region: 'RegionOne' });
 * catalog.build('http://127.0.0.1:8774')[0]?.endpoints[0]?.url; // 'http://127.0.0.1:8774/compute/v2.1'
 */
export class ServiceCatalog {
  constructor(private readonly deps: ServiceCatalogDeps) {}

  build(baseUrl?: string): CatalogEntry[] {
    const base = baseUrl ?? this.deps.baseUrl;
    if (base === undefined) throw new InternalError('identity.no_base_url', 'The service catalog needs a base URL.');
    const root = base.replace(/\/+$/, '');
    const { region } = this.deps;
    return this.deps.services.map((s) => {
      const url = `${root}/${s.path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
      return {
        id: stableId('service', s.type),
        type: s.type,
        name: s.name,
        endpoints: INTERFACES.map((iface) => ({ id: stableId('endpoint', `${s.type}/${iface}`), interface: iface, region, region_id: region, url })),
      };
    });
  }
}
