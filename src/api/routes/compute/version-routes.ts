import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrl } from '../../base-url.js';
import { MAX_MICROVERSION, MIN_MICROVERSION } from '../../microversion.js';

interface VersionFacts {
  id: 'v2.0' | 'v2.1';
  /** The path segment the version is served under. */
  path: 'v2' | 'v2.1';
  status: string;
  version: string;
  min_version: string;
  updated: string;
  mediaType: string;
}

// v2.0 first: strict clients assert the order of the root list.
const VERSIONS: readonly VersionFacts[] = [
  {
    id: 'v2.0',
    path: 'v2',
    status: 'SUPPORTED',
    version: '',
    min_version: '',
    updated: '2011-01-21T11:33:21Z',
    mediaType: 'application/vnd.openstack.compute+json;version=2',
  },
  {
    id: 'v2.1',
    path: 'v2.1',
    status: 'CURRENT',
    version: MAX_MICROVERSION,
    min_version: MIN_MICROVERSION,
    updated: '2013-07-23T11:33:21Z',
    mediaType: 'application/vnd.openstack.compute+json;version=2.1',
  },
];

const DOCS_LINK = { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' };

/**
 * The compute version documents, answered without a token: `GET /` lists v2.0 and v2.1 (200, not
 * Nova's historical 300), and `GET /v2.1` and `GET /v2` describe one version each. Bodies carry only
 * the keys strict clients allow (id, links, status, updated, version, min_version, media-types).
 */
export async function versionRoutes(app: FastifyInstance): Promise<void> {
  const root = (request: FastifyRequest) => `${baseUrl(request)}${app.prefix}`;
  const selfLink = (request: FastifyRequest, v: VersionFacts) => ({ rel: 'self', href: `${root(request)}/${v.path}/` });

  app.get('/', { config: { public: true } }, async (request) => ({
    versions: VERSIONS.map((v) => ({
      id: v.id,
      status: v.status,
      version: v.version,
      min_version: v.min_version,
      updated: v.updated,
      links: [selfLink(request, v)],
    })),
  }));

  for (const v of VERSIONS) {
    app.get(`/${v.path}`, { config: { public: true } }, async (request) => ({
      version: {
        id: v.id,
        status: v.status,
        version: v.version,
        min_version: v.min_version,
        updated: v.updated,
        links: [selfLink(request, v), { ...DOCS_LINK }],
        'media-types': [{ base: 'application/json', type: v.mediaType }],
      },
    }));
  }
}
