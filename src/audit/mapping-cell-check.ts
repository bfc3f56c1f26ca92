import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView } from './cloud-view.js';

/** A mapping to repoint, and the cell that shows the instance. */
export interface MappingCellFinding extends AuditFinding {
  targetCellId: number | undefined;
}

/**
 * Instance mappings pointing at the wrong cell: the mapped cell has no live visible row of the
 * instance (none, or only a hidden copy) while another cell shows it, as when a cross-cell move
 * died between unhiding the target copy and repointing the mapping. Fix: point the mapping at the
 * cell that shows it; when several do, the audit cannot choose and only reports it.
 */
export class MappingCellCheck implements AuditCheck<MappingCellFinding> {
  readonly name = 'mapping_cells';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells'>) {}

  async find(): Promise<MappingCellFinding[]> {
    const view = await CloudView.read(this.deps);
    const out: MappingCellFinding[] = [];
    for (const mapping of view.allMappings()) {
      if (mapping.cell_id === null || view.home(mapping.instance_uuid) !== undefined) continue;
      const mapped = view.mappedStore(mapping.instance_uuid);
      const shown = view.copies(mapping.instance_uuid).filter((c) => !c.copy.hidden && c.store !== mapped);
      if (shown.length === 0) continue;
      const there = mapped === undefined ? `cell id ${mapping.cell_id} (not a known cell)` : mapped.label;
      const elsewhere = shown.map((c) => c.store.label).join(', ');
      const one = shown.length === 1 ? shown[0] : undefined;
      out.push({
        kind: 'mapping_wrong_cell',
        ids: { instance: mapping.instance_uuid },
        cell: there,
        ...(one?.copy.host == null ? {} : { host: one.copy.host }),
        reason: `mapped to ${there}, which does not show it; ${elsewhere} ${shown.length === 1 ? 'does' : 'do'}`,
        remedy: one === undefined ? 'none: several cells show it, choose by hand' : `point the mapping at ${one.store.label}`,
        fixable: one !== undefined,
        targetCellId: one?.store.cells[0]?.id,
      });
    }
    return out;
  }

  async fix(finding: MappingCellFinding): Promise<void> {
    if (finding.targetCellId === undefined) return;
    await this.deps.api.instanceMappings.setCell(finding.ids['instance'] as string, finding.targetCellId);
  }
}
