import type { FastifyRequest } from 'fastify';
import { lastValues } from '../api/validation/last-values.js';
import type { VolumeOperations } from './volume-operations.js';
import type { VolumeViewContext } from './volume-view.js';

/** What the routes of one mount share. */
export interface VolumeRouteDeps {
  volumes: VolumeOperations;
  /** Where the service is mounted (`/volume`); links point below it. */
  prefix: string;
}

/** The link bases and viewer of a request; links keep the URL's project id when it had one. */
export function viewContext(request: FastifyRequest, deps: VolumeRouteDeps): VolumeViewContext {
  const root = `${request.protocol}://${request.host}${deps.prefix}`;
  const project = projectInUrl(request);
  const tail = project === undefined ? '' : `/${project}`;
  return {
    mv: request.microversion,
    isAdmin: request.ctx.isAdmin,
    selfBase: `${root}/v3${tail}`,
    bookmarkBase: `${root}${tail}`,
    attributes: (volume) => deps.volumes.extraAttributes(request.ctx, volume),
  };
}

/** The `{project_id}` segment of a project-scoped URL, if the request used one. */
export function projectInUrl(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, string | undefined> | undefined;
  return params?.['project_id'];
}

/** The query as Cinder reads it: a repeated parameter counts with its last value. */
export function queryOf(request: FastifyRequest): Record<string, string> {
  return lastValues(request.query);
}

/** Ids in the canonical dashed lower-case form (Cinder stores them so). */
export function canonicalUuid(id: string): string {
  const hex = id.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
