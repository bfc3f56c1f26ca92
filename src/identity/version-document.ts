/** Keystone's v3 version document; `GET /identity/v3` answers it and keystoneauth requires it. */
export interface IdentityVersion {
  id: string;
  status: string;
  updated: string;
  links: { rel: string; href: string }[];
  'media-types': { base: string; type: string }[];
}

/**
 * The v3 version document whose self link points at `<baseUrl>/identity/v3/`.
 *
 * @example
 * identityVersion('http://127.0.0.1:8774').links[0]?.href; // 'http://127.0.0.1:8774/identity/v3/'
 */
export function identityVersion(baseUrl: string): IdentityVersion {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrl.replace(/\/+$/, '')}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}
