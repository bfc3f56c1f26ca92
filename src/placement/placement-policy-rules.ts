import type { RuleDefault } from '../policy/index.js';

/** The check string of every placement rule: Placement's API is for administrators (and services). */
const ADMIN = 'role:admin';

/** Placement's policy rule names, as its `policies/*.py` spell them. */
export const PlacementRule = {
  providersList: 'placement:resource_providers:list',
  providersCreate: 'placement:resource_providers:create',
  providersShow: 'placement:resource_providers:show',
  providersUpdate: 'placement:resource_providers:update',
  providersDelete: 'placement:resource_providers:delete',
  inventoriesList: 'placement:resource_providers:inventories:list',
  inventoriesCreate: 'placement:resource_providers:inventories:create',
  inventoriesShow: 'placement:resource_providers:inventories:show',
  inventoriesUpdate: 'placement:resource_providers:inventories:update',
  inventoriesDelete: 'placement:resource_providers:inventories:delete',
  aggregatesList: 'placement:resource_providers:aggregates:list',
  aggregatesUpdate: 'placement:resource_providers:aggregates:update',
  providerTraitsList: 'placement:resource_providers:traits:list',
  providerTraitsUpdate: 'placement:resource_providers:traits:update',
  providerTraitsDelete: 'placement:resource_providers:traits:delete',
  providerUsages: 'placement:resource_providers:usages',
  providerAllocationsList: 'placement:resource_providers:allocations:list',
  traitsList: 'placement:traits:list',
  traitsShow: 'placement:traits:show',
  traitsUpdate: 'placement:traits:update',
  traitsDelete: 'placement:traits:delete',
  resourceClassesList: 'placement:resource_classes:list',
  resourceClassesCreate: 'placement:resource_classes:create',
  resourceClassesShow: 'placement:resource_classes:show',
  resourceClassesUpdate: 'placement:resource_classes:update',
  resourceClassesDelete: 'placement:resource_classes:delete',
  allocationsList: 'placement:allocations:list',
  allocationsManage: 'placement:allocations:manage',
  allocationsUpdate: 'placement:allocations:update',
  allocationsDelete: 'placement:allocations:delete',
  usages: 'placement:usages',
  allocationCandidatesList: 'placement:allocation_candidates:list',
} as const;

type Op = [method: string, path: string];
const rule = (name: string, description: string, ...operations: Op[]): RuleDefault => ({
  name,
  checkStr: ADMIN,
  description,
  operations: operations.map(([method, path]) => ({ method, path })),
});

const RP = '/resource_providers/{uuid}';

/**
 * Placement's rules with admin-only defaults. The in-process `PlacementClient` is a trusted
 * service path and checks none of them; every HTTP route checks one.
 *
 * @example
 * const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
 */
export const placementRuleDefaults: readonly RuleDefault[] = [
  rule(PlacementRule.providersList, 'List resource providers', ['GET', '/resource_providers']),
  rule(PlacementRule.providersCreate, 'Create a resource provider', ['POST', '/resource_providers']),
  rule(PlacementRule.providersShow, 'Show a resource provider', ['GET', RP]),
  rule(PlacementRule.providersUpdate, 'Update a resource provider', ['PUT', RP]),
  rule(PlacementRule.providersDelete, 'Delete a resource provider', ['DELETE', RP]),
  rule(PlacementRule.inventoriesList, "List a provider's inventories", ['GET', `${RP}/inventories`]),
  rule(PlacementRule.inventoriesCreate, 'Create one inventory of a provider', ['POST', `${RP}/inventories`]),
  rule(PlacementRule.inventoriesShow, 'Show one inventory of a provider', ['GET', `${RP}/inventories/{resource_class}`]),
  rule(PlacementRule.inventoriesUpdate, "Replace a provider's inventories, or one of them", ['PUT', `${RP}/inventories`], ['PUT', `${RP}/inventories/{resource_class}`]),
  rule(PlacementRule.inventoriesDelete, "Delete a provider's inventories, or one of them", ['DELETE', `${RP}/inventories`], ['DELETE', `${RP}/inventories/{resource_class}`]),
  rule(PlacementRule.aggregatesList, "List a provider's aggregates", ['GET', `${RP}/aggregates`]),
  rule(PlacementRule.aggregatesUpdate, "Replace a provider's aggregates", ['PUT', `${RP}/aggregates`]),
  rule(PlacementRule.providerTraitsList, "List a provider's traits", ['GET', `${RP}/traits`]),
  rule(PlacementRule.providerTraitsUpdate, "Replace a provider's traits", ['PUT', `${RP}/traits`]),
  rule(PlacementRule.providerTraitsDelete, "Remove every trait of a provider", ['DELETE', `${RP}/traits`]),
  rule(PlacementRule.providerUsages, "Show a provider's usages", ['GET', `${RP}/usages`]),
  rule(PlacementRule.providerAllocationsList, "List the allocations against a provider", ['GET', `${RP}/allocations`]),
  rule(PlacementRule.traitsList, 'List traits', ['GET', '/traits']),
  rule(PlacementRule.traitsShow, 'Check that a trait exists', ['GET', '/traits/{name}']),
  rule(PlacementRule.traitsUpdate, 'Create a custom trait', ['PUT', '/traits/{name}']),
  rule(PlacementRule.traitsDelete, 'Delete a custom trait', ['DELETE', '/traits/{name}']),
  rule(PlacementRule.resourceClassesList, 'List resource classes', ['GET', '/resource_classes']),
  rule(PlacementRule.resourceClassesCreate, 'Create a custom resource class', ['POST', '/resource_classes']),
  rule(PlacementRule.resourceClassesShow, 'Show a resource class', ['GET', '/resource_classes/{name}']),
  rule(PlacementRule.resourceClassesUpdate, 'Create (1.7+) a custom resource class', ['PUT', '/resource_classes/{name}']),
  rule(PlacementRule.resourceClassesDelete, 'Delete a custom resource class', ['DELETE', '/resource_classes/{name}']),
  rule(PlacementRule.allocationsList, "List a consumer's allocations", ['GET', '/allocations/{consumer_uuid}']),
  rule(PlacementRule.allocationsManage, 'Write the allocations of several consumers at once', ['POST', '/allocations']),
  rule(PlacementRule.allocationsUpdate, "Replace a consumer's allocations", ['PUT', '/allocations/{consumer_uuid}']),
  rule(PlacementRule.allocationsDelete, "Delete a consumer's allocations", ['DELETE', '/allocations/{consumer_uuid}']),
  rule(PlacementRule.usages, 'Show the usages of a project (and user)', ['GET', '/usages']),
  rule(PlacementRule.allocationCandidatesList, 'List allocation candidates', ['GET', '/allocation_candidates']),
];
