/**
 * IPv4 arithmetic on plain numbers (0 .. 2^32-1): the network service supports IPv4 subnets only.
 *
 * @example
 * parseCidr('10.0.0.0/22'); // { network: 167772160, prefix: 22, first: 167772160, last: 167773183 }
 * formatIpv4(167772161);     // '10.0.0.1'
 */
export interface Cidr {
  /** The address as written (may have host bits set; see `isCanonical`). */
  address: number;
  prefix: number;
  /** The network address (host bits cleared). */
  first: number;
  /** The broadcast address. */
  last: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** The address, or undefined unless it is a dotted quad without leading zeros. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** `a.b.c.d/n`, or undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return { address, prefix, first, last: first + size - 1 };
}

/** Whether the CIDR is written with its host bits cleared (`10.0.0.0/24`, not `10.0.0.1/24`). */
export function isCanonical(cidr: Cidr): boolean {
  return cidr.address === cidr.first;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.first)}/${cidr.prefix}`;
}

export function contains(cidr: Cidr, address: number): boolean {
  return address >= cidr.first && address <= cidr.last;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}
