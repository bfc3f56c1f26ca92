import { ForbiddenError, InternalError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import { DEFAULT_IMPLIED_ROLES, expandImpliedRoles } from './implied-roles.js';
import { credentialsFromContext, type PolicyCredentials } from './policy-credentials.js';
import { loadPolicyFile } from './policy-file.js';
import type { RuleDefault } from './rule-default.js';
import { findRuleCycle } from './rule-cycles.js';
import { evaluateRule } from './rule-evaluator.js';
import type { RuleNode } from './rule-node.js';
import { parseRule } from './rule-parser.js';

type Implications = Readonly<Record<string, readonly string[]>>;

/** What `PolicyEngine.create` needs. */
export interface PolicyEngineDeps {
  /** The rules registered in code; only these names can be enforced. */
  defaults: readonly RuleDefault[];
  /** Rule strings that replace defaults (or add rules for `rule:` references); applied last. */
  overrides?: Readonly<Record<string, string>>;
  /** A YAML mapping of rule name to rule string (`[oslo_policy] policy_file`). */
  policyFile?: string;
  /** Role implications; Keystone's `admin → member → reader` when omitted. */
  impliedRoles?: Implications;
}

interface EngineState {
  registered: ReadonlySet<string>;
  rules: ReadonlyMap<string, RuleNode>;
  impliedRoles: Implications;
}

/**
 * Decides oslo.policy-style rules for request contexts. Rules come from the defaults in code,
 * then the policy file, then explicit overrides; each later source wins for the names it sets.
 * Names in a file that no default registers are kept (oslo allows them) and can be reached
 * through `rule:NAME`, but cannot be enforced directly.
 *
 * @example
 * const policy = await PolicyEngine.create({ defaults: allRuleDefaults(), policyFile });
 * policy.authorize('os_compute_api:servers:show', ctx, { project_id: instance.projectId });
 */
export class PolicyEngine {
  private readonly state: EngineState;

  private constructor(deps: EngineState) {
    this.state = deps;
  }

  /**
   * Parses every rule and rejects reference cycles up front, so a bad policy stops start-up
   * instead of surfacing as an odd 403 or a stack overflow on some later request.
   */
  static async create(deps: PolicyEngineDeps): Promise<PolicyEngine> {
    const registered = new Set<string>();
    const rules = new Map<string, RuleNode>();
    for (const rule of deps.defaults) {
      if (registered.has(rule.name)) {
        const message = `Policy rule ${rule.name} is registered twice.`;
        throw new InternalError('policy.duplicate_rule', message);
      }
      registered.add(rule.name);
      rules.set(rule.name, parseFrom('Policy defaults', rule.name, rule.checkStr));
    }
    if (deps.policyFile !== undefined) {
      const fromFile = await loadPolicyFile(deps.policyFile);
      for (const [name, text] of Object.entries(fromFile)) {
        rules.set(name, parseFrom(`Policy file ${deps.policyFile}`, name, text));
      }
    }
    for (const [name, text] of Object.entries(deps.overrides ?? {})) {
      rules.set(name, parseFrom('Policy overrides', name, text));
    }
    const cycle = findRuleCycle(rules);
    if (cycle !== undefined) {
      const where = deps.policyFile === undefined ? '' : ` (policy file ${deps.policyFile})`;
      throw new InternalError(
        'policy.rule_cycle',
        `Policy rules reference each other in a cycle${where}: ${cycle.join(' -> ')}`,
        { details: { cycle } },
      );
    }
    const impliedRoles = deps.impliedRoles ?? DEFAULT_IMPLIED_ROLES;
    return new PolicyEngine({ registered, rules, impliedRoles });
  }

  /**
   * Throws unless the rule allows the request.
   *
   * @throws ForbiddenError `policy.forbidden` with Nova's message.
   * @throws InternalError `policy.unregistered_rule` when the name is not a registered default.
   */
  authorize(rule: string, ctx: RequestContext, target: Readonly<Record<string, unknown>>): void {
    if (!this.check(rule, ctx, target)) {
      const message = `Policy doesn't allow ${rule} to be performed.`;
      throw new ForbiddenError('policy.forbidden', message, { details: { rule } });
    }
  }

  /** Whether the rule allows the request; for optional behaviour such as extra response fields. */
  check(rule: string, ctx: RequestContext, target: Readonly<Record<string, unknown>>): boolean {
    return this.decide(rule, credentialsFromContext(ctx, this.state.impliedRoles), target);
  }

  /**
   * Evaluates `context_is_admin` for a set of roles; the API uses it to fill
   * `RequestContext.isAdmin` when it builds the context from a token.
   */
  isAdmin(roles: readonly string[]): boolean {
    const credentials: PolicyCredentials = {
      roles: expandImpliedRoles(roles, this.state.impliedRoles),
      // The context being built is not admin yet; `is_admin:True` must not vouch for itself.
      is_admin: false,
    };
    return this.decide('context_is_admin', credentials, {});
  }

  private decide(
    rule: string,
    credentials: PolicyCredentials,
    target: Readonly<Record<string, unknown>>,
  ): boolean {
    const node = this.state.registered.has(rule) ? this.state.rules.get(rule) : undefined;
    if (node === undefined) {
      // Enforcing a name nobody registered is a typo in code, not a user error.
      const message = `Policy rule ${rule} is not registered.`;
      throw new InternalError('policy.unregistered_rule', message, { details: { rule } });
    }
    return evaluateRule(node, {
      credentials,
      target,
      resolveRule: (name) => this.state.rules.get(name),
    });
  }
}

function parseFrom(where: string, name: string, text: string): RuleNode {
  try {
    return parseRule(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InternalError('policy.invalid_rule', `${where}: rule "${name}": ${reason}`, {
      cause: err,
      details: { rule: name },
    });
  }
}
