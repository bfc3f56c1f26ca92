/** What the scheduler knows about one compute node when it decides. */
export interface HostState {
  host: string;
  nodename: string;
  cellUuid: string;
  cellName: string;
  zone: string;
  serviceUp: boolean;
  serviceDisabled: boolean;
  totalVcpus: number;
  totalRamMb: number;
  totalDiskGb: number;
  freeVcpus: number;
  freeRamMb: number;
  freeDiskGb: number;
}
