import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView, type CellStore, type PlacedCopy } from './cloud-view.js';

/** A row to remove or hide, and the store it is in. */
export interface InstanceRecordFinding extends AuditFinding {
  action: 'hard_delete' | 'hide';
  store: CellStore;
}

const HARD_DELETE = 'hard-delete the row and its child rows';

/**
 * Instance rows nothing owns: a row in a cell without an instance mapping (hard-deleted with its
 * child rows); a visible row outside the mapped cell while the mapped cell shows the instance too
 * (hidden, so the server is listed once, when an open migration of the instance keeps the copy,
 * else hard-deleted: a hidden copy without a move would be the next orphan); a hidden copy outside the mapped cell with no open
 * migration of the instance to explain it, once the mapped cell shows the instance
 * (hard-deleted). A visible row outside the mapped cell while the mapped cell shows none is the
 * mapping's fault, left to {@link MappingCellCheck}, which repoints it.
 */
export class InstanceRecordsCheck implements AuditCheck<InstanceRecordFinding> {
  readonly name = 'instance_records';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells'>) {}

  async find(): Promise<InstanceRecordFinding[]> {
    const view = await CloudView.read(this.deps);
    return view.stores.flatMap((store) => view.copiesIn(store).flatMap((placed) => judge(view, placed)));
  }

  async fix(finding: InstanceRecordFinding): Promise<void> {
    const uuid = finding.ids['instance'] as string;
    if (finding.action === 'hard_delete') await finding.store.repos.instances.hardDelete(uuid);
    else await finding.store.repos.instances.update(uuid, { hidden: true });
  }
}

function judge(view: CloudView, { store, copy }: PlacedCopy): InstanceRecordFinding[] {
  const base = { ids: { instance: copy.uuid }, cell: store.label, ...(copy.host === null ? {} : { host: copy.host }), store, fixable: true };
  if (view.mapping(copy.uuid) === undefined) {
    return [{ ...base, kind: 'orphan_instance_row', reason: 'no instance mapping for this row', remedy: HARD_DELETE, action: 'hard_delete' }];
  }
  const mapped = view.mappedStore(copy.uuid);
  const home = view.home(copy.uuid);
  if (mapped === undefined || mapped === store || home === undefined) return [];
  const moving = view.openMigrationsOf(copy.uuid).length > 0;
  if (!copy.hidden) {
    // A move's copy is hidden again (the move still needs it); any other copy has no owner.
    const reason = `visible here and in ${home.store.label}, where its mapping points`;
    return [moving
      ? { ...base, kind: 'duplicate_instance_row', reason: `${reason}; an open migration keeps this copy`, remedy: 'hide this copy', action: 'hide' }
      : { ...base, kind: 'duplicate_instance_row', reason: `${reason}; no open migration keeps this copy`, remedy: HARD_DELETE, action: 'hard_delete' }];
  }
  if (moving) return [];
  return [{ ...base, kind: 'orphan_instance_row', reason: `hidden copy outside ${home.store.label} (the mapped cell) and no open migration`, remedy: HARD_DELETE, action: 'hard_delete' }];
}
