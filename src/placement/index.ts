// The placement module's boundary: other modules import from here only.
export { PlacementService, type PlacementServiceDeps } from './placement-service.js';
export type {
  Allocations,
  CandidateQuery,
  ClaimOptions,
  ConsumerAllocationsRecord,
  ConsumerWrite,
  GenerationOptions,
  InventoryInput,
  PlacementClient,
  ProviderRecord,
  ProviderUsagesRecord,
} from './placement-client.js';
export type { AllocationCandidate, AllocationCandidates, AllocationRequest, ProviderSummary } from './candidate-view.js';
export type { InventoryValues } from './model/provider-state.js';
export type { ConsumerSummary } from './store/allocation-reader.js';
export type { PolicyAuthorizer } from './http/route-support.js';
export { AllocationRejectedError, PlacementCode, isConcurrentUpdate, type PlacementErrorCode } from './placement-errors.js';
export { PlacementRule, placementRuleDefaults } from './placement-policy-rules.js';
export { PLACEMENT_MAX_VERSION, PLACEMENT_MIN_VERSION } from './http/placement-microversion.js';
export { STANDARD_RESOURCE_CLASSES } from './standard-resource-classes.js';
export { STANDARD_TRAITS } from './standard-traits.js';
