import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotAcceptableError } from '../common/errors.js';

export const MIN_MICROVERSION = '2.1';
export const MAX_MICROVERSION = '2.96';

export interface Microversion {
  major: number;
  minor: number;
  text: string;
}

export function parseVersion(text: string): Microversion | undefined {
  // Nova's format: no leading zeros (2.01 is not 2.1).
  const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), text: `${Number(m[1])}.${Number(m[2])}` };
}

/** True when the request's microversion is at least `version`. */
export function atLeast(mv: Microversion, version: string): boolean {
  const v = parseVersion(version) as Microversion;
  return mv.major > v.major || (mv.major === v.major && mv.minor >= v.minor);
}

/**
 * Picks the compute microversion from `OpenStack-API-Version: compute X` (preferred) or
 * `X-OpenStack-Nova-API-Version: X`; none means 2.1 and `latest` the maximum; out of range is
 * 406 and a malformed version 400, as in Nova. Both headers are echoed on the response.
 */
export function negotiateMicroversion(request: FastifyRequest): Microversion {
  const requested = fromNewHeader(request.headers['openstack-api-version']) ?? header(request.headers['x-openstack-nova-api-version']);
  const min = parseVersion(MIN_MICROVERSION) as Microversion;
  const max = parseVersion(MAX_MICROVERSION) as Microversion;
  let mv: Microversion;
  if (requested === undefined) mv = min;
  else if (requested.trim().toLowerCase() === 'latest') mv = max;
  else {
    const parsed = parseVersion(requested);
    if (parsed === undefined) {
      throw new BadRequestError('api.bad_microversion', `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
    }
    if (!atLeast(parsed, MIN_MICROVERSION) || !atLeast(max, parsed.text)) {
      throw new NotAcceptableError('api.microversion_out_of_range', `Version ${parsed.text} is not supported by the API. Minimum is ${MIN_MICROVERSION} and maximum is ${MAX_MICROVERSION}.`);
    }
    mv = parsed;
  }
  return mv;
}

export function echoMicroversion(reply: FastifyReply, mv: Microversion): void {
  reply.header('OpenStack-API-Version', `compute ${mv.text}`);
  reply.header('X-OpenStack-Nova-API-Version', mv.text);
  reply.header('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function fromNewHeader(v: string | string[] | undefined): string | undefined {
  const all = Array.isArray(v) ? v : v === undefined ? [] : v.split(',');
  for (const entry of all) {
    const [service, version] = entry.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && version !== undefined) return version;
  }
  return undefined;
}
