import type { RequestSpec } from '../../objects/request-spec.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** CellMappingPayload 2.0. */
export interface CellMappingPayloadData {
  uuid: string;
  name: string | null;
  disabled: boolean;
}

/**
 * DestinationPayload 1.0: where a request is restricted to. As in Nova, `host`, `node` and `cell`
 * are present only when the request names them.
 */
export interface DestinationPayloadData {
  host?: string;
  node?: string;
  cell?: VersionedObject<CellMappingPayloadData>;
  aggregates: string[] | null;
}

export type DestinationPayload = VersionedObject<DestinationPayloadData>;

/** The request spec knows only the cell's uuid: its name is left null. */
export function destinationPayload(destination: NonNullable<RequestSpec['requested_destination']>): DestinationPayload {
  const data: DestinationPayloadData = { aggregates: null };
  if (destination.host !== undefined) data.host = destination.host;
  if (destination.node !== undefined) data.node = destination.node;
  if (destination.cell !== undefined) data.cell = versionedObject('CellMappingPayload', '2.0', { uuid: destination.cell, name: null, disabled: false });
  return versionedObject('DestinationPayload', '1.0', data);
}
