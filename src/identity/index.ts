export { AuthRequestBody, type AuthRequest } from './auth-request-body.js';
export { resolveGeneratedPasswords, type GeneratedPasswordsRequest } from './generated-passwords.js';
export {
  IdentityDirectory,
  type AccountCredentials,
  type BootstrapAccount,
  type IdentityCredentials,
  type IdentityDirectoryDeps,
  type IdentityDirectoryOptions,
} from './identity-directory.js';
export type { Domain, EntityRef, Project, Role, User } from './identity-entities.js';
export { identityModule, type IdentityRoutesDeps } from './identity-routes.js';
export type { IdentitySchema, TokenTable } from './identity-schema.js';
export { IdentityService, type IdentityServiceDeps } from './identity-service.js';
export { keystoneTime } from './keystone-time.js';
export { identityMigrations } from './migrations.js';
export {
  ServiceCatalog,
  type CatalogEndpoint,
  type CatalogEntry,
  type CatalogService,
  type EndpointInterface,
  type ServiceCatalogDeps,
} from './service-catalog.js';
export { stableId, type StableIdKind } from './stable-id.js';
export { tokenBody } from './token-body.js';
export { hashToken } from './token-hash.js';
export { TokenRepo, type StoredToken } from './token-repo.js';
export { TokenService, type IssuedToken, type TokenInfo, type TokenServiceDeps } from './token-service.js';
export { identityVersion, type IdentityVersion } from './version-document.js';
