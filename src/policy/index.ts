// The policy module's boundary: other modules import from here only.
export { PolicyEngine, type PolicyEngineDeps } from './policy-engine.js';
export { parseRule } from './rule-parser.js';
export type {
  AndNode,
  FalseNode,
  GenericLeft,
  GenericNode,
  NotNode,
  OrNode,
  RoleNode,
  RuleNode,
  RuleRefNode,
  Template,
  TemplatePart,
  TrueNode,
} from './rule-node.js';
export type { RuleDefault } from './rule-default.js';
export { DEFAULT_IMPLIED_ROLES, expandImpliedRoles } from './implied-roles.js';
export {
  allRuleDefaults,
  availabilityZoneRuleDefaults,
  baseRuleDefaults,
  flavorRuleDefaults,
  imageRuleDefaults,
  serverRuleDefaults,
  serviceRuleDefaults,
} from './rules/index.js';
