import type { ServiceEntry } from '../../compute-api/services/list-services.js';
import { atLeast, type Microversion } from '../microversion.js';

/**
 * A timestamp as Nova serializes its naive UTC datetimes: `2026-11-24T10:00:00.000000`, with
 * microseconds and no zone designator.
 */
export function novaTime(iso: string | null): string | null {
  if (iso === null) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 23)}000`;
}

/**
 * A service of GET /os-services: its id is the cell-local integer below 2.53 and the uuid from
 * 2.53; `forced_down` appears from 2.11.
 */
export function serviceView(mv: Microversion, e: ServiceEntry): Record<string, unknown> {
  const s = e.service;
  const body: Record<string, unknown> = {
    id: atLeast(mv, '2.53') ? s.uuid : s.id,
    binary: s.binary,
    host: s.host,
    zone: e.zone,
    status: s.disabled ? 'disabled' : 'enabled',
    state: e.up ? 'up' : 'down',
    updated_at: novaTime(s.updated_at),
    disabled_reason: s.disabled_reason,
  };
  if (atLeast(mv, '2.11')) body['forced_down'] = s.forced_down;
  return body;
}
