import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView } from './cloud-view.js';

/**
 * Placement consumers holding allocations that nothing owns (Nova's `nova-manage placement
 * audit`): a consumer is owned by a visible live row of an instance (normally in the cell its
 * mapping points at; a mapping to the wrong cell is {@link MappingCellCheck}'s finding), by an
 * open migration in any cell (it holds the source node while the move is open), or by
 * an instance still being built (the scheduler claims before the cell row exists).
 * Fix: delete the consumer's allocations.
 */
export class LeakedAllocationsCheck implements AuditCheck {
  readonly name = 'leaked_allocations';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells' | 'placement' | 'placementConsumers'>) {}

  async find(): Promise<AuditFinding[]> {
    const view = await CloudView.read(this.deps);
    const out: AuditFinding[] = [];
    for (const consumer of await this.deps.placementConsumers.listConsumers()) {
      if (view.isOpenMigration(consumer.uuid) || view.isBuilding(consumer.uuid)) continue;
      // A visible row outside the mapped cell owns it too: the mapping is wrong, not the allocation.
      if (view.copies(consumer.uuid).some((c) => !c.copy.hidden)) continue;
      const mapped = view.mappedStore(consumer.uuid);
      const reason =
        view.mapping(consumer.uuid) === undefined
          ? `consumer (${consumer.consumer_type}) is neither a mapped instance nor an open migration`
          : `instance has no live visible row in ${mapped?.label ?? 'any cell'} (deleted, or its flow failed) and no open migration`;
      out.push({
        kind: 'leaked_allocation',
        ids: { consumer: consumer.uuid, providers: consumer.providers.join(',') },
        ...(mapped === undefined ? {} : { cell: mapped.label }),
        reason,
        remedy: 'delete the consumer\'s allocations',
        fixable: true,
      });
    }
    return out;
  }

  async fix(finding: AuditFinding): Promise<void> {
    await this.deps.placement.deleteAllocations(required(finding.ids['consumer']));
  }
}

function required(id: string | undefined): string {
  if (id === undefined) throw new Error('audit finding without its id');
  return id;
}
