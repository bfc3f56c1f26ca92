import type { Selectable } from 'kysely';
import type { PortBindingTable } from './network-schema.js';

export const BINDING_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type BindingStatus = (typeof BINDING_STATUSES)[number];

/** Neutron's VNIC types (`binding:vnic_type`). */
export const VNIC_TYPES = [
  'normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'vdpa', 'remote-managed',
] as const;
export type VnicType = (typeof VNIC_TYPES)[number];

/** What an unbound port shows as `binding:vif_type`. */
export const VIF_TYPE_UNBOUND = 'unbound';
/** What a port bound to a host shows: the built-in service plays an Open vSwitch agent on every host. */
export const VIF_TYPE_BOUND = 'ovs';
export const BOUND_VIF_DETAILS: Readonly<Record<string, unknown>> = {
  connectivity: 'l2',
  port_filter: true,
  ovs_hybrid_plug: false,
  datapath_type: 'system',
  bridge_name: 'br-int',
};

/** One binding of a port to a host; host '' is the ACTIVE binding of an unbound port. */
export interface PortBindingRecord {
  port_id: string;
  host: string;
  status: BindingStatus;
  vif_type: string;
  vnic_type: string;
  profile: Record<string, unknown>;
  vif_details: Record<string, unknown>;
}

export function rowToPortBindingRecord(row: Selectable<PortBindingTable>): PortBindingRecord {
  return {
    port_id: row.port_id,
    host: row.host,
    status: row.status as BindingStatus,
    vif_type: row.vif_type,
    vnic_type: row.vnic_type,
    profile: JSON.parse(row.profile) as Record<string, unknown>,
    vif_details: JSON.parse(row.vif_details) as Record<string, unknown>,
  };
}

/** The vif type and details of a binding to `host` ('' unbinds). */
export function vifFor(host: string): { vif_type: string; vif_details: Record<string, unknown> } {
  return host === '' ? { vif_type: VIF_TYPE_UNBOUND, vif_details: {} } : { vif_type: VIF_TYPE_BOUND, vif_details: { ...BOUND_VIF_DETAILS } };
}
