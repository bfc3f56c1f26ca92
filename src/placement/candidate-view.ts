import { resourceKey, type ProviderState } from './model/provider-state.js';

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

/**
 * One candidate as the in-process client hands it out: the provider that would give the
 * resources, the allocation request to claim, and the provider's summary. Shared and frozen.
 */
export interface AllocationCandidate {
  provider: string;
  allocation_request: AllocationRequest;
  summary: ProviderSummary;
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

/** What one provider contributes to candidate answers, built once per generation and view. */
interface CachedPieces {
  generation: number;
  /** Which view the summary was built for: traits (1) and tree uuids (2). */
  view: number;
  summary: ProviderSummary;
  /** `"<uuid>":{...}` in UTF-8, the summary as a member of `provider_summaries`. */
  summaryBytes: Buffer;
  /** Allocation requests by the amounts asked for (and mappings): they do not depend on usage. */
  requests: Map<string, { request: AllocationRequest; bytes: Buffer | undefined }>;
  /** Candidates by the same key; unlike the requests they hold the summary, so they go with it. */
  candidates: Map<string, AllocationCandidate>;
  /** The candidate asked for last, and its key: most decisions in a row ask for the same amounts. */
  lastKey: string | undefined;
  lastCandidate: AllocationCandidate | undefined;
}

// Kept in the provider state's memo: a provider replaced in the read model starts afresh, and one
// whose generation moved rebuilds its summary. The few flavors a cloud schedules most reuse requests.
const REQUESTS_PER_PROVIDER = 8;

/** Builds allocation requests and provider summaries in one pass over the candidates. */
export function candidatesView(providers: readonly ProviderState[], resources: ReadonlyMap<string, number>, options: CandidateViewOptions): AllocationCandidates {
  const wanted = Object.freeze(Object.fromEntries(resources)) as Record<string, number>;
  const key = requestKey(resources, options.mappings);
  const allocation_requests: AllocationRequest[] = new Array<AllocationRequest>(providers.length);
  const provider_summaries: Record<string, ProviderSummary> = {};
  for (let i = 0; i < providers.length; i += 1) {
    const p = providers[i] as ProviderState;
    const pieces = piecesOf(p, resources, options);
    allocation_requests[i] = requestOf(pieces, p, key, wanted, options.mappings).request;
    provider_summaries[p.uuid] = pieces.summary;
  }
  return { allocation_requests, provider_summaries };
}

/**
 * The candidates as a list, for the in-process client: no `provider_summaries` object keyed by
 * 1,000 uuids to build and then search, and every entry reused while its provider is unchanged.
 */
export function candidateList(providers: readonly ProviderState[], resources: ReadonlyMap<string, number>): AllocationCandidate[] {
  const key = requestKey(resources, false);
  let wanted: Record<string, number> | undefined;
  const out = new Array<AllocationCandidate>(providers.length);
  for (let i = 0; i < providers.length; i += 1) {
    const p = providers[i] as ProviderState;
    const pieces = piecesOf(p, resources, FULL_CANDIDATE_VIEW);
    if (pieces.lastKey === key) {
      out[i] = pieces.lastCandidate as AllocationCandidate;
      continue;
    }
    let candidate = pieces.candidates.get(key);
    if (candidate === undefined) {
      wanted ??= Object.freeze(Object.fromEntries(resources)) as Record<string, number>;
      candidate = Object.freeze({ provider: p.uuid, allocation_request: requestOf(pieces, p, key, wanted, false).request, summary: pieces.summary });
      if (pieces.candidates.size >= REQUESTS_PER_PROVIDER) pieces.candidates.clear();
      pieces.candidates.set(key, candidate);
    }
    pieces.lastKey = key;
    pieces.lastCandidate = candidate;
    out[i] = candidate;
  }
  return out;
}

/**
 * The same body as JSON bytes, assembled from cached per-provider pieces: at 1,000 candidates
 * this avoids most of the work (and garbage) of building, stringifying and encoding the objects
 * on each request; what is left is one copy into the response buffer.
 */
export function candidatesJson(providers: readonly ProviderState[], resources: ReadonlyMap<string, number>, options: CandidateViewOptions): Buffer {
  const wanted = Object.freeze(Object.fromEntries(resources)) as Record<string, number>;
  const key = requestKey(resources, options.mappings);
  const requestParts = new Array<Buffer>(2 * providers.length + 1);
  const summaryParts = new Array<Buffer>(2 * providers.length + 1);
  requestParts[0] = OPEN_REQUESTS;
  summaryParts[0] = OPEN_SUMMARIES;
  for (let i = 0; i < providers.length; i += 1) {
    const p = providers[i] as ProviderState;
    const pieces = piecesOf(p, resources, options);
    const entry = requestOf(pieces, p, key, wanted, options.mappings);
    entry.bytes ??= Buffer.from(JSON.stringify(entry.request));
    requestParts[2 * i + 1] = entry.bytes;
    summaryParts[2 * i + 1] = pieces.summaryBytes;
    requestParts[2 * i + 2] = COMMA;
    summaryParts[2 * i + 2] = COMMA;
  }
  // The last comma of each list becomes its closing bracket.
  if (providers.length > 0) {
    requestParts[2 * providers.length] = EMPTY;
    summaryParts[2 * providers.length] = EMPTY;
  }
  return Buffer.concat([...requestParts, ...summaryParts, CLOSE]);
}

const OPEN_REQUESTS = Buffer.from('{"allocation_requests":[');
const OPEN_SUMMARIES = Buffer.from('],"provider_summaries":{');
const CLOSE = Buffer.from('}}');
const COMMA = Buffer.from(',');
const EMPTY = Buffer.alloc(0);

/**
 * The key of a provider's cached allocation request (and candidate): the amounts, and whether the
 * request shows mappings. One scheme for the REST views and the in-process list, so that both
 * reuse the same entries. Resource class names are upper case: the `m:` prefix cannot clash.
 */
function requestKey(resources: ReadonlyMap<string, number>, mappings: boolean): string {
  const amounts = resourceKey(resources);
  return mappings ? `m:${amounts}` : amounts;
}

function piecesOf(p: ProviderState, requested: ReadonlyMap<string, number>, options: CandidateViewOptions): CachedPieces {
  const view = (options.traits ? 1 : 0) + (options.treeUuids ? 2 : 0);
  const cached = p.memo.view as CachedPieces | undefined;
  // Before 1.27 the summary shows the requested classes only, so it is not kept.
  if (options.allResources && cached !== undefined && cached.generation === p.generation && cached.view === view) return cached;
  const summary = deepFreeze(summaryOf(p, requested, options));
  const pieces: CachedPieces = {
    generation: p.generation,
    view,
    summary,
    summaryBytes: Buffer.from(`${JSON.stringify(p.uuid)}:${JSON.stringify(summary)}`),
    requests: cached?.requests ?? new Map(),
    candidates: new Map(),
    lastKey: undefined,
    lastCandidate: undefined,
  };
  if (options.allResources) p.memo.view = pieces;
  return pieces;
}

function requestOf(pieces: CachedPieces, p: ProviderState, key: string, wanted: Record<string, number>, mappings: boolean): { request: AllocationRequest; bytes: Buffer | undefined } {
  const hit = pieces.requests.get(key);
  if (hit !== undefined) return hit;
  const request: AllocationRequest = { allocations: { [p.uuid]: { resources: wanted } } };
  if (mappings) request.mappings = { '': [p.uuid] };
  const entry = { request: deepFreeze(request), bytes: undefined };
  if (pieces.requests.size >= REQUESTS_PER_PROVIDER) pieces.requests.clear();
  pieces.requests.set(key, entry);
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
