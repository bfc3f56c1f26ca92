import { renderTemplate } from './match-template.js';
import type { PolicyCredentials } from './policy-credentials.js';
import { lookupPath, policyString } from './policy-value.js';
import type { GenericNode, RuleNode } from './rule-node.js';

/** Everything a rule needs to be decided. */
export interface EvaluationEnv {
  readonly credentials: PolicyCredentials;
  readonly target: Readonly<Record<string, unknown>>;
  /** The parsed rule for `rule:NAME`, or `undefined` when no such rule exists (which denies). */
  readonly resolveRule: (name: string) => RuleNode | undefined;
}

/**
 * Decides a parsed rule. The caller guarantees `rule:` references are acyclic (the engine checks
 * at load time), so plain recursion terminates.
 *
 * @example
 * const env = { credentials, target: {}, resolveRule: () => undefined };
 * evaluateRule(parseRule('role:reader'), env);
 */
export function evaluateRule(node: RuleNode, env: EvaluationEnv): boolean {
  switch (node.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evaluateRule(node.operand, env);
    case 'and':
      return node.operands.every((operand) => evaluateRule(operand, env));
    case 'or':
      return node.operands.some((operand) => evaluateRule(operand, env));
    case 'rule': {
      const referenced = env.resolveRule(node.name);
      return referenced !== undefined && evaluateRule(referenced, env);
    }
    case 'role': {
      const role = renderTemplate(node.role, env.target);
      // Credential roles are already lower-cased and include implied roles.
      return role !== undefined && env.credentials.roles.includes(role.toLowerCase());
    }
    case 'generic':
      return evaluateGeneric(node, env);
  }
}

function evaluateGeneric(node: GenericNode, env: EvaluationEnv): boolean {
  const match = renderTemplate(node.match, env.target);
  if (match === undefined) return false;
  if (node.left.type === 'literal') return node.left.value === match;
  const value = lookupPath(env.credentials, node.left.path);
  // A list-valued credential (such as roles) matches when any element does.
  if (Array.isArray(value)) return value.some((item) => policyString(item) === match);
  return policyString(value) === match;
}
