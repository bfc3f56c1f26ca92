import type { ProviderState } from './model/provider-state.js';
import type { ProviderRecord } from './placement-client.js';

export function providerRecord(p: ProviderState): ProviderRecord {
  return { uuid: p.uuid, name: p.name, generation: p.generation, parent_provider_uuid: p.parentUuid, root_provider_uuid: p.rootUuid };
}
