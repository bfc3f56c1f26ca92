import type { RequestContext } from '../../common/request-context.js';
import { imageProperties, type ImageView } from '../../image/index.js';
import type { Flavor } from '../../objects/flavor.js';

/**
 * What Nova copies from the boot image into a new instance's system metadata (utils'
 * get_system_metadata_from_image): each image property as `image_<key>`, and min_ram, min_disk,
 * disk_format and container_format, where min_disk is at least the flavor's root disk (except for
 * vhd). A snapshot of the server later inherits these. Values are strings, as in Nova.
 *
 * @example
 * imageSystemMetadata(cirros, m1tiny, ctx);
 * // { image_base_image_ref: '<id>', image_min_ram: '0', image_min_disk: '1', image_disk_format: 'qcow2', image_container_format: 'bare', ... }
 */
export function imageSystemMetadata(image: ImageView, flavor: Flavor, ctx: RequestContext): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(imageProperties(image))) meta[`image_${key}`] = value;
  const minDisk = image.disk_format === 'vhd' ? flavor.root_gb : Math.max(image.min_disk, flavor.root_gb);
  meta['image_min_ram'] = String(image.min_ram);
  meta['image_min_disk'] = String(minDisk);
  if (image.disk_format !== null) meta['image_disk_format'] = image.disk_format;
  if (image.container_format !== null) meta['image_container_format'] = image.container_format;
  meta['image_base_image_ref'] = image.id;
  if (ctx.projectName !== undefined) meta['owner_project_name'] = ctx.projectName;
  if (ctx.userName !== undefined) meta['owner_user_name'] = ctx.userName;
  return meta;
}
