import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * Neutron's list filter on one column: a row matches when the column equals any of the values
 * (`?device_id=a&device_id=b`); an empty list matches nothing. Values are bound parameters.
 *
 * @example
 * q = q.where(matchAny('ports.device_id', ['a', 'b']));
 */
export function matchAny(column: string, values: readonly (string | number)[]): Expression<SqlBool> {
  return values.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})`;
}
