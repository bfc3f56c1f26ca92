import { VOLUME_MAX_VERSION, VOLUME_MIN_VERSION } from './volume-microversion.js';

export interface VolumeVersionsDocument {
  versions: {
    id: string;
    status: 'CURRENT';
    version: string;
    min_version: string;
    updated: string;
    links: { rel: string; href: string; type?: string }[];
    'media-types': { base: string; type: string }[];
  }[];
}

/**
 * Cinder's version list: one v3.0 entry with the microversion range, served at the root (300) and
 * at `/v3` (200). python-cinderclient reads `versions[].version` to find the server's maximum.
 *
 * @example
 * volumeVersionsDocument('http://cloud/volume').versions[0]?.links[1]; // { rel: 'self', href: 'http://cloud/volume/v3/' }
 */
export function volumeVersionsDocument(endpoint: string): VolumeVersionsDocument {
  return {
    versions: [
      {
        id: 'v3.0',
        status: 'CURRENT',
        version: VOLUME_MAX_VERSION,
        min_version: VOLUME_MIN_VERSION,
        updated: '2022-08-31T00:00:00Z',
        links: [
          { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
          { rel: 'self', href: `${endpoint}/v3/` },
        ],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
      },
    ],
  };
}
