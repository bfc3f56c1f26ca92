import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import { nameBasedUuid } from '../common/name-based-uuid.js';
import { defaultAllocationPools } from './allocation-pools.js';
import { formatCidr, formatIpv4, isCanonical, parseCidr } from './ipv4.js';
import type { NetworkRepo } from './network-repo.js';
import type { NetworkSchema } from './network-schema.js';
import { MAX_PREFIX_LENGTH } from './subnet-operations.js';
import type { SubnetRepo } from './subnet-repo.js';

/** What the default network is made of (`[neutron] default_*`). */
export interface DefaultNetworkSpec {
  name: string;
  cidr: string;
  mtu: number;
  /** The project that owns it (the admin project); it is shared, so every project can use it. */
  projectId: string;
}

/** The ids of the default network and its subnet; they derive from the name, so every deployment agrees on them. */
export function defaultNetworkIds(name: string): { networkId: string; subnetId: string } {
  return { networkId: nameBasedUuid(`tessera-default-network:${name}`), subnetId: nameBasedUuid(`tessera-default-subnet:${name}`) };
}

const SEED = 'default-network';

/**
 * Creates the shared default network with one subnet (gateway on the first host address, the
 * rest of the CIDR as its pool) the first time the database is used. The seed is recorded in the
 * same transaction, so a restart (or a second process starting at the same moment) does nothing,
 * and an operator who deletes the network does not see it come back.
 *
 * @returns the ids seeded, or undefined when nothing was done.
 * @throws Error for a CIDR the subnet checks would refuse (a configuration mistake).
 */
export async function seedDefaultNetwork(
  deps: { db: Kysely<NetworkSchema>; networks: NetworkRepo; subnets: SubnetRepo; clock: Clock },
  spec: DefaultNetworkSpec,
): Promise<{ networkId: string; subnetId: string } | undefined> {
  const cidr = parseCidr(spec.cidr);
  if (cidr === undefined || !isCanonical(cidr) || cidr.prefix > MAX_PREFIX_LENGTH) {
    throw new Error(`[neutron] default_subnet_cidr ${spec.cidr} is not a usable IPv4 subnet (e.g. 10.0.0.0/22, at most /${MAX_PREFIX_LENGTH})`);
  }
  const ids = defaultNetworkIds(spec.name);
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seeded_defaults')
      .values({ name: SEED, created_at: deps.clock.now().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return undefined;
    await deps.networks.create({ id: ids.networkId, name: spec.name, project_id: spec.projectId, shared: true, mtu: spec.mtu }, trx);
    const gateway = cidr.first + 1;
    await deps.subnets.create(
      {
        id: ids.subnetId,
        network_id: ids.networkId,
        project_id: spec.projectId,
        name: `${spec.name}-subnet`,
        cidr: formatCidr(cidr),
        gateway_ip: formatIpv4(gateway),
        allocation_pools: defaultAllocationPools(cidr, gateway),
      },
      trx,
    );
    return ids;
  });
}
