import type { RequestContext } from '../common/request-context.js';
import { expandImpliedRoles } from './implied-roles.js';

/** What the left side of a check sees: snake_case request-context attributes. */
export type PolicyCredentials = Readonly<Record<string, unknown>> & {
  readonly roles: readonly string[];
};

/**
 * Builds oslo-style credentials from a request context: every context field under its snake_case
 * name (`userId` → `user_id`, `isAdmin` → `is_admin`), so rules written for Nova work unchanged
 * and a field added to the context later is visible to policy without touching this file.
 * `roles` holds the caller's roles plus those they imply, lower-cased.
 *
 * @example
 * credentialsFromContext(ctx, DEFAULT_IMPLIED_ROLES).project_id; // ctx.projectId
 */
export function credentialsFromContext(
  ctx: RequestContext,
  implications: Readonly<Record<string, readonly string[]>>,
): PolicyCredentials {
  const creds: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx)) creds[snakeCase(key)] = value;
  return { ...creds, roles: expandImpliedRoles(ctx.roles, implications) };
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`);
}
