/**
 * One thing `tessera audit` found: a record that a failed or interrupted flow left without an
 * owner (DESIGN.md §4, "nothing leaks").
 */
export interface AuditFinding {
  /** What leaked, in snake case: `leaked_allocation`, `orphan_instance_row`, ... */
  kind: string;
  /** The ids that name it, by what they are: `{ consumer }`, `{ instance, migration }`, ... */
  ids: Record<string, string>;
  /** The cell(s) of the record, when it lives in one. */
  cell?: string;
  /** The compute host it is about, when there is one. */
  host?: string;
  /** Why it is a leak. */
  reason: string;
  /** What `--fix` does about it (or why it cannot). */
  remedy: string;
  /** False when the audit cannot tell what the right repair is; it is only reported. */
  fixable: boolean;
}

/**
 * A check of `tessera audit`: finds one kind of leak and repairs one finding at a time. `find`
 * only reads; `fix` changes just what its finding names, and may assume the state `find` saw
 * (the runner calls it right after), but must not fail when the record is already gone.
 *
 * @example
 * class MyCheck implements AuditCheck<MyFinding> {
 *   readonly name = 'my_check';
 *   async find() { return (await listThings()).filter(isOrphan).map(toFinding); }
 *   async fix(finding: MyFinding) { await deleteThing(finding.ids.thing); }
 * }
 */
export interface AuditCheck<F extends AuditFinding = AuditFinding> {
  readonly name: string;
  find(): Promise<F[]>;
  fix(finding: F): Promise<void>;
}
