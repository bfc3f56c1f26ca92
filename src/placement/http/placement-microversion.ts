import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotAcceptableError } from '../../common/errors.js';
import { PlacementCode } from '../placement-errors.js';

export const PLACEMENT_MIN_VERSION = '1.0';
export const PLACEMENT_MAX_VERSION = '1.39';

export interface PlacementVersion {
  major: number;
  minor: number;
  text: string;
}

const MAX: PlacementVersion = { major: 1, minor: 39, text: PLACEMENT_MAX_VERSION };
const MIN: PlacementVersion = { major: 1, minor: 0, text: PLACEMENT_MIN_VERSION };

/** True when `mv` is at least `major.minor`. */
export function atLeast(mv: PlacementVersion, minor: number, major = 1): boolean {
  return mv.major > major || (mv.major === major && mv.minor >= minor);
}

/**
 * Placement's microversion from `OpenStack-API-Version: placement X` (other services' entries are
 * ignored): none means 1.0, `latest` the maximum; a malformed value is 400 and one out of range
 * 406, as microversion-parse and Placement's middleware answer.
 */
export function negotiatePlacementVersion(request: FastifyRequest): PlacementVersion {
  const requested = placementEntry(request.headers['openstack-api-version']);
  if (requested === undefined) return MIN;
  if (requested.toLowerCase() === 'latest') return MAX;
  const m = /^(\d+)\.(\d+)$/.exec(requested);
  if (!m) {
    throw new BadRequestError(PlacementCode.DEFAULT, `invalid version string: ${requested}`);
  }
  const mv = { major: Number(m[1]), minor: Number(m[2]), text: `${Number(m[1])}.${Number(m[2])}` };
  if (!atLeast(mv, MIN.minor, MIN.major) || !atLeast(MAX, mv.minor, mv.major)) {
    throw new NotAcceptableError(PlacementCode.DEFAULT, `Unacceptable version header: ${mv.text}`);
  }
  return mv;
}

export function echoPlacementVersion(reply: FastifyReply, mv: PlacementVersion): void {
  reply.header('OpenStack-API-Version', `placement ${mv.text}`);
  reply.header('Vary', 'openstack-api-version');
}

function placementEntry(header: string | string[] | undefined): string | undefined {
  const entries = (Array.isArray(header) ? header : header === undefined ? [] : [header]).flatMap((h) => h.split(','));
  for (const entry of entries) {
    const [service, version] = entry.trim().split(/\s+/);
    if (service?.toLowerCase() === 'placement' && version !== undefined) return version;
  }
  return undefined;
}
