/**
 * What a snapshot captured: the guest's root disk as image data, with the formats the image
 * service must record before the data is uploaded (Nova's driver sets them on the image).
 */
export interface GuestSnapshot {
  /** Disk format of `data`, one of Glance's (`qcow2`, `raw`, ...). */
  diskFormat: string;
  /** Container format of `data`; `bare` when the data is the disk itself. */
  containerFormat: string;
  /** The image bytes, streamed; they can be read once. */
  data: AsyncIterable<Uint8Array>;
}
