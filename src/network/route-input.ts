import { BadRequestError } from '../common/errors.js';
import type { TagFilter } from './resource-tag-repo.js';

/** The first value of a boolean filter (`True`, `false`, `1`, ...), or undefined when absent. */
export function boolFilter(values: readonly string[] | undefined): boolean | undefined {
  const value = values?.[0];
  return value === undefined ? undefined : ['true', '1'].includes(value.toLowerCase());
}

/** Neutron's tag filters; each value may list several tags separated by commas. */
export function tagFilterOf(query: Partial<Record<'tags' | 'tags-any' | 'not-tags' | 'not-tags-any', string[]>>): TagFilter {
  const split = (values: string[] | undefined) => values?.flatMap((v) => v.split(',')).filter((t) => t !== '');
  const filter: TagFilter = {};
  const tags = split(query.tags);
  const tagsAny = split(query['tags-any']);
  const notTags = split(query['not-tags']);
  const notTagsAny = split(query['not-tags-any']);
  if (tags !== undefined) filter.tags = tags;
  if (tagsAny !== undefined) filter.tagsAny = tagsAny;
  if (notTags !== undefined) filter.notTags = notTags;
  if (notTagsAny !== undefined) filter.notTagsAny = notTagsAny;
  return filter;
}

/** `project_id` and its old name `tenant_id` as one filter. */
export function projectFilter(query: { project_id?: string[]; tenant_id?: string[] }): string[] | undefined {
  if (query.project_id === undefined && query.tenant_id === undefined) return undefined;
  return [...(query.project_id ?? []), ...(query.tenant_id ?? [])];
}

/**
 * The project a body names with `project_id` or `tenant_id`.
 *
 * @throws BadRequestError when both are given and differ, as Neutron refuses them.
 */
export function projectOf(body: { project_id?: string; tenant_id?: string }): string | undefined {
  if (body.project_id !== undefined && body.tenant_id !== undefined && body.project_id !== body.tenant_id) {
    throw new BadRequestError('network.invalid_input', "'project_id' and 'tenant_id' do not match", { details: { type: 'HTTPBadRequest' } });
  }
  return body.project_id ?? body.tenant_id;
}

/** Only the attributes asked for with `?fields=`, when any were; unknown names are ignored, as in Neutron. */
export function pickFields<T extends object>(view: T, fields: readonly string[] | undefined): Partial<T> {
  if (fields === undefined || fields.length === 0) return view;
  const wanted = new Set(fields);
  return Object.fromEntries(Object.entries(view).filter(([key]) => wanted.has(key))) as Partial<T>;
}

/** A body that must be there: Neutron refuses an empty POST or PUT with 400 before looking at it. */
export function requireBody(body: unknown): unknown {
  if (body === undefined || body === null) throw new BadRequestError('network.invalid_input', 'Resource body required', { details: { type: 'HTTPBadRequest' } });
  return body;
}
