import type { RuleNode } from './rule-node.js';

/**
 * Finds a chain of `rule:` references that loops back on itself, such as
 * `a -> b -> a`. Evaluation recurses through references, so a cycle would overflow the stack on
 * the first request that reaches it; the engine rejects it at load time instead. References to
 * unknown rules are not followed (they simply deny).
 *
 * @example
 * findRuleCycle(new Map([['a', parseRule('rule:b')], ['b', parseRule('rule:a')]]));
 * // ['a', 'b', 'a']
 */
export function findRuleCycle(rules: ReadonlyMap<string, RuleNode>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (name: string): string[] | undefined => {
    const onPath = path.indexOf(name);
    if (onPath >= 0) return [...path.slice(onPath), name];
    if (done.has(name)) return undefined;
    const node = rules.get(name);
    if (node === undefined) return undefined;
    path.push(name);
    for (const ref of referencedRules(node)) {
      const cycle = visit(ref);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    done.add(name);
    return undefined;
  };

  for (const name of rules.keys()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

function referencedRules(node: RuleNode): string[] {
  switch (node.kind) {
    case 'rule':
      return [node.name];
    case 'not':
      return referencedRules(node.operand);
    case 'and':
    case 'or':
      return node.operands.flatMap(referencedRules);
    default:
      return [];
  }
}
