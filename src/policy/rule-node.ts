/**
 * The syntax tree of one oslo.policy rule string, as produced by `parseRule`.
 *
 * Templates (`%(project_id)s`) are split into parts at parse time so that a malformed
 * substitution is reported when the rule is loaded, not when a request happens to hit it.
 *
 * @example
 * // parseRule('role:member and project_id:%(project_id)s') gives
 * const node: RuleNode = {
 *   kind: 'and',
 *   operands: [
 *     { kind: 'role', role: [{ type: 'text', text: 'member' }] },
 *     {
 *       kind: 'generic',
 *       left: { type: 'credential', path: 'project_id' },
 *       match: [{ type: 'target', key: 'project_id' }],
 *     },
 *   ],
 * };
 */
export type RuleNode =
  | TrueNode
  | FalseNode
  | RoleNode
  | RuleRefNode
  | GenericNode
  | NotNode
  | AndNode
  | OrNode;

/** `@` or the empty rule: always allowed. */
export interface TrueNode {
  readonly kind: 'true';
}

/** `!`: never allowed. */
export interface FalseNode {
  readonly kind: 'false';
}

/** `role:NAME`: the caller holds the role (case-insensitive, implied roles included). */
export interface RoleNode {
  readonly kind: 'role';
  readonly role: Template;
}

/** `rule:NAME`: the outcome of another named rule; an unknown name denies. */
export interface RuleRefNode {
  readonly kind: 'rule';
  readonly name: string;
}

/**
 * `key:match`: a credential attribute (or a literal on the left) compared with the match text
 * after target substitution.
 */
export interface GenericNode {
  readonly kind: 'generic';
  readonly left: GenericLeft;
  readonly match: Template;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: RuleNode;
}

export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly RuleNode[];
}

export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly RuleNode[];
}

/** The left of a generic check: a dotted credential path, or a literal (`'member'`, `True`). */
export type GenericLeft =
  | { readonly type: 'credential'; readonly path: string }
  | { readonly type: 'literal'; readonly value: string };

/** Text with `%(key)s` holes filled from the target. */
export type Template = readonly TemplatePart[];

export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'target'; readonly key: string };
