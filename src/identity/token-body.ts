import { keystoneTime } from './keystone-time.js';
import type { CatalogEntry } from './service-catalog.js';
import type { TokenInfo } from './token-service.js';

/**
 * The body of `POST` and `GET /v3/auth/tokens`, in Keystone's shape. Clients need
 * `user.domain.{id,name}`, `project.domain.{id,name}`, `expires_at`, and the catalog's `region`,
 * `region_id` and `interface`; the rest is there for fidelity. `catalog` is left out for
 * `?nocatalog`.
 */
export function tokenBody(info: TokenInfo, catalog: CatalogEntry[] | undefined): { token: Record<string, unknown> } {
  return {
    token: {
      methods: info.methods,
      user: {
        id: info.user.id,
        name: info.user.name,
        domain: { id: info.user.domain.id, name: info.user.domain.name },
        password_expires_at: null,
      },
      project: {
        id: info.project.id,
        name: info.project.name,
        domain: { id: info.project.domain.id, name: info.project.domain.name },
      },
      roles: info.roles.map((r) => ({ id: r.id, name: r.name })),
      ...(catalog === undefined ? {} : { catalog }),
      is_domain: false,
      expires_at: keystoneTime(info.expiresAt),
      issued_at: keystoneTime(info.issuedAt),
      audit_ids: info.auditIds,
    },
  };
}
