/**
 * A volume as the compute hands it to the driver: where the guest sees it (`mountpoint`, such as
 * `/dev/vdb`) and how the host reaches it (the volume service's connection info, Nova's
 * `connection_info` with `driver_volume_type` and `data`).
 */
export interface GuestVolume {
  volumeId: string;
  mountpoint: string;
  connectionInfo: { driver_volume_type: string; data: Record<string, unknown> };
}

/** A network interface as the compute hands it to the driver (Nova's VIF): one port, its MAC and network. */
export interface GuestInterface {
  portId: string;
  macAddress: string;
  networkId: string;
}
