/** The image API versions Tessera answers to, newest first; the first one is CURRENT. */
export const IMAGE_API_VERSIONS = ['v2.9', 'v2.8', 'v2.7', 'v2.6', 'v2.5', 'v2.4', 'v2.3', 'v2.2', 'v2.1', 'v2.0'] as const;

export interface ImageVersionsDocument {
  versions: { id: string; status: 'CURRENT' | 'SUPPORTED'; links: { rel: 'self'; href: string }[] }[];
}

/**
 * Glance's version list (served with HTTP 300), which keystoneauth reads to find the v2 endpoint.
 * Every version points at the same `<endpoint>/v2/`, as in Glance.
 *
 * @example
 * imageVersionsDocument('http://cloud/image') // { versions: [{ id: 'v2.9', status: 'CURRENT', links: [{ rel: 'self', href: 'http://cloud/image/v2/' }] }, ...] }
 */
export function imageVersionsDocument(endpoint: string): ImageVersionsDocument {
  const href = `${endpoint}/v2/`;
  return {
    versions: IMAGE_API_VERSIONS.map((id, i) => ({
      id,
      status: i === 0 ? 'CURRENT' : 'SUPPORTED',
      links: [{ rel: 'self', href }],
    })),
  };
}
