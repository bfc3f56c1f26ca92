/**
 * Prints counts as the two-column table nova-manage prints (`format_dict`), sorted by key:
 *
 * ```
 * +-----------------+-------------------------+
 * | Table           | Number of Rows Archived |
 * +-----------------+-------------------------+
 * | cell1.instances | 2                       |
 * +-----------------+-------------------------+
 * ```
 */
export function formatCountsTable(counts: ReadonlyMap<string, number>, headers: [string, string]): string {
  const rows = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v)] as const);
  const width = [0, 1].map((col) => Math.max(headers[col]?.length ?? 0, ...rows.map((r) => r[col]?.length ?? 0)));
  const [w0 = 0, w1 = 0] = width;
  const line = `+-${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+`;
  const row = (a: string, b: string): string => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} |`;
  return [line, row(headers[0], headers[1]), line, ...rows.map(([a, b]) => row(a, b)), line].join('\n');
}
