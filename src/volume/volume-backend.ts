import type { FaultInjector } from '../common/fault-injector.js';
import type { AttachmentRecord } from './attachment-record.js';
import type { VolumeConnector } from './volume-client.js';
import type { VolumeRecord } from './volume-record.js';

/** What a backend returns for a connection: Cinder's driver `initialize_connection` result. */
export interface BackendConnection {
  driver_volume_type: string;
  data: Record<string, unknown>;
}

/**
 * The storage behind the volume service (Cinder's volume driver). Each call may fail; the
 * service then leaves the volume in Cinder's error status for that step, or undoes its own
 * change, and reports the failure.
 *
 * @example
 * const connection = await backend.initializeConnection(volume, attachmentId, { host: 'cell1-compute1' }, 'rw');
 * connection.driver_volume_type; // 'fake'
 */
export interface VolumeBackend {
  createVolume(volume: VolumeRecord): Promise<void>;
  deleteVolume(volume: VolumeRecord): Promise<void>;
  initializeConnection(volume: VolumeRecord, attachmentId: string, connector: VolumeConnector, accessMode: 'rw' | 'ro'): Promise<BackendConnection>;
  terminateConnection(volume: VolumeRecord, attachment: AttachmentRecord): Promise<void>;
}

/** The fault points of {@link FakeVolumeBackend}: arm `volume.backend.<operation>`. */
export const BACKEND_FAULT_POINTS = [
  'volume.backend.create_volume',
  'volume.backend.delete_volume',
  'volume.backend.initialize_connection',
  'volume.backend.terminate_connection',
] as const;

/**
 * A simulated backend: it stores no data and answers every connection with a `fake` connection
 * (Nova's libvirt driver has a matching fake volume driver). It exists so that each backend step
 * can be failed on purpose with the fault injector.
 */
export class FakeVolumeBackend implements VolumeBackend {
  constructor(private readonly deps: { faults?: FaultInjector | undefined }) {}

  createVolume(volume: VolumeRecord): Promise<void> {
    return this.step('create_volume', volume.host);
  }

  deleteVolume(volume: VolumeRecord): Promise<void> {
    return this.step('delete_volume', volume.host);
  }

  async initializeConnection(volume: VolumeRecord, attachmentId: string, connector: VolumeConnector, accessMode: 'rw' | 'ro'): Promise<BackendConnection> {
    await this.step('initialize_connection', connector.host);
    return {
      driver_volume_type: 'fake',
      data: {
        volume_id: volume.id,
        target: `tessera:volume-${volume.id}`,
        access_mode: accessMode,
        encrypted: false,
        qos_specs: null,
        cacheable: false,
        discard: false,
      },
    };
  }

  terminateConnection(_volume: VolumeRecord, attachment: AttachmentRecord): Promise<void> {
    return this.step('terminate_connection', attachment.attached_host ?? undefined);
  }

  private async step(operation: string, host: string | undefined): Promise<void> {
    this.deps.faults?.check(`volume.backend.${operation}`, host === undefined ? {} : { host });
  }
}
