/** A `next` link of a paged collection. */
export interface PageLink {
  rel: 'next';
  href: string;
}

/**
 * Nova's collection links: one `next` link when the page is full (as many items as the page size,
 * which is the `limit` asked for capped at max_limit), pointing at the same query with `marker`
 * set to the last item's id; none otherwise, nor for a page size of 0. Parameters are sorted by
 * name, as Nova writes them.
 *
 * @example
 * nextPageLinks('http://h/compute/v2.1/os-migrations', { limit: '1' }, 1, 1, uuid);
 * // [{ rel: 'next', href: 'http://h/compute/v2.1/os-migrations?limit=1&marker=<uuid>' }]
 */
export function nextPageLinks(
  collectionUrl: string,
  query: Readonly<Record<string, string>>,
  shown: number,
  pageSize: number,
  lastId: string | undefined,
): PageLink[] {
  if (lastId === undefined || pageSize === 0 || shown !== pageSize) return [];
  const params = new URLSearchParams();
  const keys = new Set([...Object.keys(query), 'marker']);
  for (const key of [...keys].sort()) params.append(key, key === 'marker' ? lastId : (query[key] ?? ''));
  return [{ rel: 'next', href: `${collectionUrl}?${params.toString()}` }];
}
