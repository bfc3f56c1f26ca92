/**
 * Reads a value by key from credentials or a target. An exact key wins (callers may pass
 * pre-flattened `a.b` keys, as Keystone does); otherwise the dots walk into nested objects.
 *
 * @example
 * lookupPath({ project: { id: 'p1' } }, 'project.id'); // 'p1'
 */
export function lookupPath(source: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(source, path)) return source[path];
  let current: unknown = source;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * The text form of a value for comparison. Booleans render as `True`/`False` so that rules
 * written for oslo.policy (`is_admin:True`) keep working. Missing values, null, objects and
 * arrays give `undefined`: they cannot equal a piece of rule text, so the check denies.
 *
 * @example
 * policyString(true); // 'True'
 */
export function policyString(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'True' : 'False';
    default:
      return undefined;
  }
}
