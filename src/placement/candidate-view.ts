import type { ProviderState } from './model/provider-state.js';

/** One way of satisfying a request: provider uuid → the resources it would give. */
export interface AllocationRequest {
  allocations: Record<string, { resources: Record<string, number> }>;
  /** 1.34+: which providers satisfy which request group ("" is the unnumbered one). */
  mappings?: Record<string, string[]>;
}

/** What placement tells the scheduler about a candidate provider. */
export interface ProviderSummary {
  resources: Record<string, { capacity: number; used: number }>;
  traits?: string[];
  parent_provider_uuid?: string | null;
  root_provider_uuid?: string;
}

/**
 * Allocation candidates. The in-process client hands out shared, frozen objects (summaries are
 * cached per provider generation, allocation requests per provider and amounts): treat them as
 * read-only and copy what you want to change.
 */
export interface AllocationCandidates {
  allocation_requests: AllocationRequest[];
  provider_summaries: Record<string, ProviderSummary>;
}

/** Which parts of the body a microversion shows; the in-process client gets all but mappings. */
export interface CandidateViewOptions {
  /** 1.17+ */
  traits: boolean;
  /** 1.27+: every class of the provider, not just the requested ones. */
  allResources: boolean;
  /** 1.29+ */
  treeUuids: boolean;
  /** 1.34+ */
  mappings: boolean;
}

export const FULL_CANDIDATE_VIEW: CandidateViewOptions = { traits: true, allResources: true, treeUuids: true, mappings: false };

interface CachedSummary {
  key: string;
  summary: ProviderSummary;
  /** `"<uuid>":{...}`, the summary as a member of `provider_summaries`. */
  keyedJson: string;
}

// A summary depends only on the provider's state, which changes only with its generation (or is
// replaced by a new state object), so it is built once per generation and view.
const summaryCache = new WeakMap<ProviderState, CachedSummary>();

// Allocation requests depend only on the provider and the amounts asked for; the few flavors a
// cloud schedules most reuse them (building 1,000 objects keyed by uuid is most of a request).
const requestCache = new WeakMap<ProviderState, Map<string, AllocationRequest>>();
const REQUESTS_PER_PROVIDER = 8;

/** Builds allocation requests and provider summaries in one pass over the candidates. */
export function candidatesView(providers: readonly ProviderState[], resources: ReadonlyMap<string, number>, options: CandidateViewOptions): AllocationCandidates {
  const wanted = Object.freeze(Object.fromEntries(resources)) as Record<string, number>;
  const key = `${options.mappings ? 'm' : ''}${JSON.stringify(wanted)}`;
  const allocation_requests: AllocationRequest[] = new Array<AllocationRequest>(providers.length);
  const provider_summaries: Record<string, ProviderSummary> = {};
  for (let i = 0; i < providers.length; i += 1) {
    const p = providers[i] as ProviderState;
    allocation_requests[i] = cachedRequest(p, key, wanted, options.mappings);
    provider_summaries[p.uuid] = cachedSummary(p, resources, options).summary;
  }
  return { allocation_requests, provider_summaries };
}

function cachedRequest(p: ProviderState, key: string, wanted: Record<string, number>, mappings: boolean): AllocationRequest {
  let byKey = requestCache.get(p);
  const hit = byKey?.get(key);
  if (hit !== undefined) return hit;
  const request: AllocationRequest = { allocations: { [p.uuid]: { resources: wanted } } };
  if (mappings) request.mappings = { '': [p.uuid] };
  deepFreeze(request);
  if (byKey === undefined) {
    byKey = new Map();
    requestCache.set(p, byKey);
  } else if (byKey.size >= REQUESTS_PER_PROVIDER) {
    byKey.clear();
  }
  byKey.set(key, request);
  return request;
}

/**
 * The same body as JSON text, assembled from cached per-provider pieces: at 1,000 candidates this
 * avoids most of the work (and garbage) of building and stringifying the objects on each request.
 */
export function candidatesJson(providers: readonly ProviderState[], resources: ReadonlyMap<string, number>, options: CandidateViewOptions): string {
  const wanted = Object.freeze(Object.fromEntries(resources)) as Record<string, number>;
  const key = `${options.mappings ? 'm' : ''}${JSON.stringify(wanted)}`;
  const requestTexts = new Array<string>(providers.length);
  const summaryTexts = new Array<string>(providers.length);
  for (let i = 0; i < providers.length; i += 1) {
    const p = providers[i] as ProviderState;
    requestTexts[i] = cachedRequestJson(p, key, wanted, options.mappings);
    summaryTexts[i] = cachedSummary(p, resources, options).keyedJson;
  }
  return `{"allocation_requests":[${requestTexts.join(',')}],"provider_summaries":{${summaryTexts.join(',')}}}`;
}

const requestJsonCache = new WeakMap<ProviderState, Map<string, string>>();

function cachedRequestJson(p: ProviderState, key: string, wanted: Record<string, number>, mappings: boolean): string {
  let byKey = requestJsonCache.get(p);
  const hit = byKey?.get(key);
  if (hit !== undefined) return hit;
  const text = JSON.stringify(cachedRequest(p, key, wanted, mappings));
  if (byKey === undefined) {
    byKey = new Map();
    requestJsonCache.set(p, byKey);
  } else if (byKey.size >= REQUESTS_PER_PROVIDER) {
    byKey.clear();
  }
  byKey.set(key, text);
  return text;
}

function cachedSummary(p: ProviderState, requested: ReadonlyMap<string, number>, options: CandidateViewOptions): CachedSummary {
  // Before 1.27 the summary shows the requested classes only, so it is not shared across requests.
  const key = options.allResources ? `${p.generation}|${options.traits ? 't' : ''}${options.treeUuids ? 'r' : ''}` : undefined;
  const cached = summaryCache.get(p);
  if (key !== undefined && cached?.key === key) return cached;
  const summary = deepFreeze(summaryOf(p, requested, options));
  const entry = { key: key ?? '', summary, keyedJson: `${JSON.stringify(p.uuid)}:${JSON.stringify(summary)}` };
  if (key !== undefined) summaryCache.set(p, entry);
  return entry;
}

export function summaryOf(p: ProviderState, requested: ReadonlyMap<string, number>, options: CandidateViewOptions): ProviderSummary {
  const res: ProviderSummary['resources'] = {};
  for (const [rc, r] of p.resources) if (options.allResources || requested.has(rc)) res[rc] = { capacity: r.capacity, used: r.used };
  const summary: ProviderSummary = { resources: res };
  if (options.traits) summary.traits = [...p.traitList];
  if (options.treeUuids) {
    summary.parent_provider_uuid = p.parentUuid;
    summary.root_provider_uuid = p.rootUuid;
  }
  return summary;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}
