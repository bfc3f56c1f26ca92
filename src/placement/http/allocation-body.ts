import type { Static } from '@sinclair/typebox';
import type { ConsumerAllocations } from '../store/allocation-writer.js';
import { badRequest } from '../placement-errors.js';
import { atLeast, type PlacementVersion } from './placement-microversion.js';
import { bodyValidator, normalizeUuid } from './placement-input.js';
import { AllocationsDictBody, AllocationsListBody, MultiAllocationsBody } from './placement-schemas.js';

const validateList = bodyValidator(AllocationsListBody);
const validateDict = bodyValidator(AllocationsDictBody);
const validateMulti = bodyValidator(MultiAllocationsBody);

/** Placement's `incomplete_consumer_project_id` / `_user_id`: owners of allocations written before 1.8. */
export const INCOMPLETE_CONSUMER_ID = '00000000-0000-0000-0000-000000000000';

const unexpected = (key: string) => badRequest(`JSON does not validate: Additional properties are not allowed ('${key}' was unexpected)`);
const required = (key: string) => badRequest(`JSON does not validate: '${key}' is a required property`);

/** The body of PUT /allocations/{consumer_uuid} in the shape of the request's microversion. */
export function parseConsumerBody(consumerUuid: string, body: unknown, mv: PlacementVersion): ConsumerAllocations {
  if (!atLeast(mv, 12)) {
    const list = validateList(body);
    if (atLeast(mv, 8) && (list.project_id === undefined || list.user_id === undefined)) throw required(list.project_id === undefined ? 'project_id' : 'user_id');
    if (!atLeast(mv, 8) && (list.project_id !== undefined || list.user_id !== undefined)) throw unexpected(list.project_id !== undefined ? 'project_id' : 'user_id');
    const allocations: Record<string, Record<string, number>> = {};
    for (const a of list.allocations) allocations[uuidKey(a.resource_provider.uuid)] = { ...a.resources };
    return {
      consumerUuid,
      allocations,
      projectId: list.project_id ?? INCOMPLETE_CONSUMER_ID,
      userId: list.user_id ?? INCOMPLETE_CONSUMER_ID,
      consumerGeneration: undefined,
    };
  }
  return fromDict(consumerUuid, validateDict(body), mv, false);
}

/** The body of POST /allocations (1.13+): several consumers, written all or nothing. */
export function parseMultiBody(body: unknown, mv: PlacementVersion): ConsumerAllocations[] {
  const all = validateMulti(body);
  return Object.entries(all).map(([consumer, entry]) => fromDict(uuidKey(consumer), entry, mv, true));
}

function fromDict(consumerUuid: string, body: Static<typeof AllocationsDictBody>, mv: PlacementVersion, emptyAllowed: boolean): ConsumerAllocations {
  const withGeneration = atLeast(mv, 28);
  if (withGeneration && !('consumer_generation' in body)) throw required('consumer_generation');
  if (!withGeneration && 'consumer_generation' in body) throw unexpected('consumer_generation');
  if (!atLeast(mv, 34) && body.mappings !== undefined) throw unexpected('mappings');
  if (atLeast(mv, 38) && body.consumer_type === undefined) throw required('consumer_type');
  if (!atLeast(mv, 38) && body.consumer_type !== undefined) throw unexpected('consumer_type');
  const entries = Object.entries(body.allocations);
  if (entries.length === 0 && !withGeneration && !emptyAllowed) throw badRequest('JSON does not validate: {} does not have enough properties');
  const allocations: Record<string, Record<string, number>> = {};
  for (const [rp, a] of entries) allocations[uuidKey(rp)] = { ...a.resources };
  return {
    consumerUuid,
    allocations,
    projectId: body.project_id,
    userId: body.user_id,
    consumerGeneration: withGeneration ? (body.consumer_generation ?? null) : undefined,
    consumerType: body.consumer_type,
  };
}

function uuidKey(value: string): string {
  const uuid = normalizeUuid(value);
  if (uuid === undefined) throw badRequest(`JSON does not validate: '${value}' is not a 'uuid'`);
  return uuid;
}
