import type { PortBindingRecord } from './port-binding-record.js';

/** A port binding as Neutron's extended port-binding API shows it (`GET /v2.0/ports/{id}/bindings`). */
export interface PortBindingView {
  host: string;
  status: string;
  vif_type: string;
  vif_details: Record<string, unknown>;
  vnic_type: string;
  profile: Record<string, unknown>;
}

export function toPortBindingView(binding: PortBindingRecord): PortBindingView {
  return {
    host: binding.host,
    status: binding.status,
    vif_type: binding.vif_type,
    vif_details: { ...binding.vif_details },
    vnic_type: binding.vnic_type,
    profile: { ...binding.profile },
  };
}
