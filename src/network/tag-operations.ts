import type { Kysely } from 'kysely';
import { NotFoundError, type TesseraError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import { networkNotFound, portNotFound, subnetNotFound } from './neutron-errors.js';
import type { NetworkRepo } from './network-repo.js';
import { NetworkRule, tagRule } from './network-policy-rules.js';
import type { NetworkSchema } from './network-schema.js';
import type { PortOperations } from './port-operations.js';
import { authorize, targetOn, viewerOf, type PolicyTarget } from './policy-targets.js';
import { resourceTags, type TaggedResource } from './resource-tag-repo.js';
import type { SubnetRepo } from './subnet-repo.js';

export interface TagOperationsDeps {
  db: Kysely<NetworkSchema>;
  networks: NetworkRepo;
  subnets: SubnetRepo;
  ports: PortOperations;
  policy: PolicyEngine;
}

/**
 * Neutron's `standard-attr-tag` API on networks, subnets and ports
 * (`/v2.0/{collection}/{id}/tags[/{tag}]`). A resource the caller cannot see is a 404; changing
 * tags needs the collection's tag rule.
 */
export class TagOperations {
  constructor(private readonly deps: TagOperationsDeps) {}

  async list(ctx: RequestContext, collection: TaggedResource, id: string): Promise<string[]> {
    await this.resolve(ctx, collection, id, 'get');
    return (await resourceTags.of(this.deps.db, [id])).get(id) ?? [];
  }

  /** @throws NotFoundError `network.tag_not_found` when the resource lacks the tag. */
  async check(ctx: RequestContext, collection: TaggedResource, id: string, tag: string): Promise<void> {
    const tags = await this.list(ctx, collection, id);
    if (!tags.includes(tag)) throw tagNotFound(collection, id, tag);
  }

  async add(ctx: RequestContext, collection: TaggedResource, id: string, tag: string): Promise<void> {
    await this.resolve(ctx, collection, id, 'create');
    await resourceTags.add(this.deps.db, collection, id, tag);
  }

  async replace(ctx: RequestContext, collection: TaggedResource, id: string, tags: string[]): Promise<string[]> {
    await this.resolve(ctx, collection, id, 'update');
    await this.deps.db.transaction().execute((trx) => resourceTags.replace(trx, collection, id, tags));
    return (await resourceTags.of(this.deps.db, [id])).get(id) ?? [];
  }

  /** @throws NotFoundError `network.tag_not_found` when the resource lacks the tag. */
  async remove(ctx: RequestContext, collection: TaggedResource, id: string, tag: string): Promise<void> {
    await this.resolve(ctx, collection, id, 'delete');
    if (!(await resourceTags.remove(this.deps.db, id, tag))) throw tagNotFound(collection, id, tag);
  }

  async removeAll(ctx: RequestContext, collection: TaggedResource, id: string): Promise<void> {
    await this.resolve(ctx, collection, id, 'delete');
    await resourceTags.removeAll(this.deps.db, [id]);
  }

  /** Finds the resource for the caller (404 when unseen or unreadable) and checks the tag rule. */
  private async resolve(ctx: RequestContext, collection: TaggedResource, id: string, action: 'get' | 'create' | 'update' | 'delete'): Promise<void> {
    const viewer = viewerOf(ctx);
    let target: PolicyTarget;
    let read: string;
    let missing: () => TesseraError;
    switch (collection) {
      case 'networks': {
        target = targetOn(await this.deps.networks.get(id, { viewer }));
        [read, missing] = [NetworkRule.getNetwork, () => networkNotFound(id)];
        break;
      }
      case 'subnets': {
        const subnet = await this.deps.subnets.get(id, { viewer });
        target = targetOn(await this.deps.networks.get(subnet.network_id), subnet.project_id);
        [read, missing] = [NetworkRule.getSubnet, () => subnetNotFound(id)];
        break;
      }
      case 'ports': {
        target = (await this.deps.ports.visible(ctx, id)).target;
        [read, missing] = [NetworkRule.getPort, () => portNotFound(id)];
        break;
      }
    }
    if (!this.deps.policy.check(read, ctx, target)) throw missing();
    authorize(this.deps.policy, tagRule(action, collection), ctx, target);
  }
}

function tagNotFound(collection: TaggedResource, id: string, tag: string): NotFoundError {
  return new NotFoundError('network.tag_not_found', `Tag ${tag} could not be found for ${collection.slice(0, -1)} ${id}.`, { details: { type: 'TagNotFound' } });
}
