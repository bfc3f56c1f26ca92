import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState, SupportedInstance } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/** Nova's spelling of an architecture: lower case, 32-bit x86 as `i686`, `amd64` as `x86_64`. */
export function canonicalArchitecture(name: string): string {
  const n = name.toLowerCase();
  if (n === 'i386' || n === 'i486' || n === 'i586' || n === 'x86_32' || n === 'x86_32p') return 'i686';
  if (n === 'amd64') return 'x86_64';
  return n;
}

/** Nova's spelling of a hypervisor type: lower case, `xapi` as `xen`. */
export function canonicalHypervisorType(name: string): string {
  const n = name.toLowerCase();
  return n === 'xapi' ? 'xen' : n;
}

/** Nova's spelling of a vm mode: lower case, `pv` as `xen`, `hv` and `baremetal` as `hvm`. */
export function canonicalVmMode(name: string): string {
  const n = name.toLowerCase();
  if (n === 'pv') return 'xen';
  if (n === 'hv' || n === 'baremetal') return 'hvm';
  return n;
}

/** The image's property under its current name, else under its legacy name; blank means unset. */
function prop(properties: Record<string, string>, name: string, legacy: string): string | undefined {
  const value = properties[name] ?? properties[legacy];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

interface Wanted {
  arch: string | undefined;
  hv: string | undefined;
  mode: string | undefined;
}

export interface ImagePropertiesFilterOptions {
  /** `[filter_scheduler] image_properties_default_architecture`: assumed when the image names none. */
  image_properties_default_architecture?: string | null;
}

/**
 * Passes hosts that can run the image: when the image names an architecture (`hw_architecture`,
 * legacy `architecture`), a hypervisor type (`img_hv_type`, legacy `hypervisor_type`) or a vm
 * mode (`hw_vm_mode`, legacy `vm_mode`), one of the host's supported instances must agree on each
 * one named. An image that names none fits every host; a host that advertises nothing fits only
 * such images.
 *
 * @example
 * // image {hw_architecture: 'aarch64'} never lands on a host supporting [['x86_64','fake','hvm']].
 */
export class ImagePropertiesFilter implements HostFilter {
  readonly name = 'ImagePropertiesFilter';

  constructor(private readonly options: ImagePropertiesFilterOptions = {}) {}

  // What an image asks for, worked out once per request rather than once per host.
  private readonly wanted = new WeakMap<Record<string, string>, Wanted | null>();

  passes(host: HostState, spec: RequestSpec): boolean {
    const props = spec.image.properties;
    let wanted = this.wanted.get(props);
    if (wanted === undefined) {
      wanted = this.wantedBy(props);
      this.wanted.set(props, wanted);
    }
    if (wanted === null) return true;
    const { arch, hv, mode } = wanted;
    return (host.supportedInstances ?? []).some(
      ([hostArch, hostHv, hostMode]: SupportedInstance) =>
        (arch === undefined || arch === hostArch || arch === canonicalArchitecture(hostArch)) &&
        (hv === undefined || hv === hostHv || hv === canonicalHypervisorType(hostHv)) &&
        (mode === undefined || mode === hostMode || mode === canonicalVmMode(hostMode)),
    );
  }

  /** The canonical names the image asks for, or null when it asks for nothing this filter checks. */
  private wantedBy(props: Record<string, string>): Wanted | null {
    const arch = prop(props, 'hw_architecture', 'architecture') ?? this.defaultArchitecture();
    const hv = prop(props, 'img_hv_type', 'hypervisor_type');
    const mode = prop(props, 'hw_vm_mode', 'vm_mode');
    if (arch === undefined && hv === undefined && mode === undefined) return null;
    return {
      arch: arch === undefined ? undefined : canonicalArchitecture(arch),
      hv: hv === undefined ? undefined : canonicalHypervisorType(hv),
      mode: mode === undefined ? undefined : canonicalVmMode(mode),
    };
  }

  private defaultArchitecture(): string | undefined {
    const value = this.options.image_properties_default_architecture?.trim();
    return value === undefined || value === '' ? undefined : value;
  }
}
