/**
 * Keystone's default role implications: `admin` implies `member`, which implies `reader`.
 * Keystone puts implied roles into the token; we expand them here so that `role:reader`
 * accepts a member and an admin even when the caller's roles came from elsewhere.
 */
export const DEFAULT_IMPLIED_ROLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  admin: ['member'],
  member: ['reader'],
});

/**
 * Returns the roles plus every role they imply, transitively, in lower case (role names are
 * compared case-insensitively). An implication cycle is harmless: each role is visited once.
 *
 * @example
 * expandImpliedRoles(['Admin']); // ['admin', 'member', 'reader']
 */
export function expandImpliedRoles(
  roles: readonly string[],
  implications: Readonly<Record<string, readonly string[]>> = DEFAULT_IMPLIED_ROLES,
): string[] {
  const lowered = new Map<string, readonly string[]>();
  for (const [role, implied] of Object.entries(implications)) {
    lowered.set(role.toLowerCase(), implied);
  }
  const seen = new Set<string>();
  const pending = roles.map((role) => role.toLowerCase());
  for (let role = pending.shift(); role !== undefined; role = pending.shift()) {
    if (seen.has(role)) continue;
    seen.add(role);
    for (const implied of lowered.get(role) ?? []) pending.push(implied.toLowerCase());
  }
  return [...seen];
}
