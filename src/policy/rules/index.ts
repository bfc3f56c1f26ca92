import type { RuleDefault } from '../rule-default.js';
import { aggregateRuleDefaults } from './aggregates.js';
import { attachInterfaceRuleDefaults } from './attach-interfaces.js';
import { availabilityZoneRuleDefaults } from './availability-zones.js';
import { baseRuleDefaults } from './base.js';
import { deferredDeleteRuleDefaults } from './deferred-delete.js';
import { flavorRuleDefaults } from './flavors.js';
import { hypervisorRuleDefaults } from './hypervisors.js';
import { imageRuleDefaults } from './images.js';
import { instanceActionRuleDefaults } from './instance-actions.js';
import { keyPairRuleDefaults } from './key-pairs.js';
import { limitRuleDefaults } from './limits.js';
import { migrationRuleDefaults } from './migrations.js';
import { quotaSetRuleDefaults } from './quota-sets.js';
import { serverGroupRuleDefaults } from './server-groups.js';
import { serverTagRuleDefaults } from './server-tags.js';
import { serverRuleDefaults } from './servers.js';
import { serviceRuleDefaults } from './services.js';
import { volumeAttachmentRuleDefaults } from './volume-attachments.js';

export {
  aggregateRuleDefaults,
  attachInterfaceRuleDefaults,
  availabilityZoneRuleDefaults,
  baseRuleDefaults,
  deferredDeleteRuleDefaults,
  flavorRuleDefaults,
  hypervisorRuleDefaults,
  imageRuleDefaults,
  instanceActionRuleDefaults,
  keyPairRuleDefaults,
  limitRuleDefaults,
  migrationRuleDefaults,
  quotaSetRuleDefaults,
  serverGroupRuleDefaults,
  serverRuleDefaults,
  serverTagRuleDefaults,
  serviceRuleDefaults,
  volumeAttachmentRuleDefaults,
};

/**
 * Every rule Tessera registers, base rules first. Returns fresh copies so a caller that edits
 * the list (a test, a doc generator) cannot change another engine's defaults.
 *
 * @example
 * const policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
 */
export function allRuleDefaults(): RuleDefault[] {
  return [
    ...baseRuleDefaults,
    ...serverRuleDefaults,
    ...serverTagRuleDefaults,
    ...flavorRuleDefaults,
    ...serviceRuleDefaults,
    ...availabilityZoneRuleDefaults,
    ...imageRuleDefaults,
    ...aggregateRuleDefaults,
    ...serverGroupRuleDefaults,
    ...hypervisorRuleDefaults,
    ...volumeAttachmentRuleDefaults,
    ...attachInterfaceRuleDefaults,
    ...limitRuleDefaults,
    ...quotaSetRuleDefaults,
    ...keyPairRuleDefaults,
    ...instanceActionRuleDefaults,
    ...migrationRuleDefaults,
    ...deferredDeleteRuleDefaults,
  ].map(({ operations, ...rest }) => {
    if (operations === undefined) return { ...rest };
    return { ...rest, operations: operations.map((operation) => ({ ...operation })) };
  });
}
