import { createHash } from 'node:crypto';

/** Bytes of a fake disk image: one 64 KiB qcow2 cluster. */
export const FAKE_DISK_IMAGE_BYTES = 64 * 1024;
const CHUNK = 16 * 1024;
const QCOW2_HEADER_LENGTH = 104;

/**
 * The bytes the fake driver returns for a snapshot: a qcow2 version 3 header that states the
 * guest's virtual disk size (so the image service reports `virtual_size` as it would for a real
 * snapshot), then a text block naming the guest and the image, padded with zeros to one cluster.
 * It is not a bootable disk. The same guest and image id always give the same bytes, and
 * different ones different bytes, so checksums can be predicted and told apart.
 *
 * @example
 * for await (const chunk of fakeDiskImage({ instanceUuid, imageId, sourceImage, virtualSize: 1024 ** 3 })) upload(chunk);
 */
export async function* fakeDiskImage(guest: { instanceUuid: string; imageId: string; sourceImage: string; virtualSize: number }): AsyncIterable<Uint8Array> {
  const image = Buffer.alloc(FAKE_DISK_IMAGE_BYTES);
  image.write('QFI\xfb', 0, 'latin1');
  image.writeUInt32BE(3, 4); // version
  image.writeUInt32BE(16, 20); // cluster_bits: 64 KiB clusters
  image.writeBigUInt64BE(BigInt(guest.virtualSize), 24);
  image.writeUInt32BE(4, 96); // refcount_order
  image.writeUInt32BE(QCOW2_HEADER_LENGTH, 100);
  const identity = JSON.stringify({
    fake_snapshot: true,
    instance_uuid: guest.instanceUuid,
    image_id: guest.imageId,
    source_image: guest.sourceImage,
    digest: createHash('sha256').update(`${guest.instanceUuid}/${guest.imageId}`).digest('hex'),
  });
  image.write(identity, 512, 'utf8');
  for (let offset = 0; offset < image.length; offset += CHUNK) {
    yield image.subarray(offset, offset + CHUNK);
  }
}
