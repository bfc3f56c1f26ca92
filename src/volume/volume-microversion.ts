import type { FastifyReply, FastifyRequest } from 'fastify';
import { atLeast, parseVersion, type Microversion } from '../api/microversion.js';
import { BadRequestError, NotAcceptableError, NotFoundError } from '../common/errors.js';

export const VOLUME_MIN_VERSION = '3.0';
/** The newest Cinder microversion served; python-cinderclient 9.x knows up to 3.70. */
export const VOLUME_MAX_VERSION = '3.70';

/** The microversions at which Cinder changed what Tessera serves. */
export const VolumeVersion = {
  groupId: '3.13',
  providerId: '3.21',
  attachments: '3.27',
  limitsProjectFilter: '3.39',
  attachmentComplete: '3.44',
  withCount: '3.45',
  sharedTargets: '3.48',
  strictSchemas: '3.53',
  attachMode: '3.54',
  clusterName: '3.61',
  volumeTypeId: '3.63',
  consumesQuota: '3.65',
  sharedTargetsTristate: '3.69',
} as const;

const MIN = parseVersion(VOLUME_MIN_VERSION) as Microversion;
const MAX = parseVersion(VOLUME_MAX_VERSION) as Microversion;

/**
 * Cinder's microversion from `OpenStack-API-Version: volume X` (other services' entries are
 * ignored): none means 3.0, `latest` the maximum; a malformed value is 400 and one out of range
 * 406, with Cinder's messages.
 */
export function negotiateVolumeVersion(request: FastifyRequest): Microversion {
  const requested = volumeEntry(request.headers['openstack-api-version']);
  if (requested === undefined) return MIN;
  if (requested.toLowerCase() === 'latest') return MAX;
  const mv = parseVersion(requested);
  if (mv === undefined) {
    throw new BadRequestError('volume.bad_microversion', `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  }
  if (!atLeast(mv, VOLUME_MIN_VERSION) || !atLeast(MAX, mv.text)) {
    throw new NotAcceptableError(
      'volume.microversion_out_of_range',
      `Version ${mv.text} is not supported by the API. Minimum is ${VOLUME_MIN_VERSION} and maximum is ${VOLUME_MAX_VERSION}.`,
    );
  }
  return mv;
}

export function echoVolumeVersion(reply: FastifyReply, mv: Microversion): void {
  reply.header('OpenStack-API-Version', `volume ${mv.text}`);
  reply.header('Vary', 'OpenStack-API-Version');
}

/** Methods added by a later microversion are 404 below it, as Cinder answers. */
export function requireVolumeVersion(mv: Microversion, version: string): void {
  if (!atLeast(mv, version)) throw new NotFoundError('volume.version_not_found', `API version ${mv.text} is not supported on this method.`);
}

function volumeEntry(header: string | string[] | undefined): string | undefined {
  const entries = (Array.isArray(header) ? header : header === undefined ? [] : [header]).flatMap((h) => h.split(','));
  for (const entry of entries) {
    const [service, version] = entry.trim().split(/\s+/);
    if (service?.toLowerCase() === 'volume' && version !== undefined) return version;
  }
  return undefined;
}
