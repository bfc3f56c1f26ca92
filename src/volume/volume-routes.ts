import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { atLeast } from '../api/microversion.js';
import { compileValidator } from '../api/validation/validator.js';
import { BadRequestError } from '../common/errors.js';
import { VolumeErrors } from './volume-errors.js';
import { VolumeVersion } from './volume-microversion.js';
import type { NewVolumeRequest, VolumeListRequest } from './volume-operations.js';
import type { VolumeRecord } from './volume-record.js';
import {
  CreateVolumeBody,
  CreateVolumeBodyStrict,
  ListVolumesQuery,
  UpdateVolumeBody,
  UpdateVolumeBodyStrict,
  boolWord,
} from './volume-request-schemas.js';
import { canonicalUuid, queryOf, viewContext, type VolumeRouteDeps } from './volume-route-context.js';
import { SORT_DIRS, VOLUME_SORT_KEYS, type SortDir, type VolumeSortKey } from './volume-sort.js';
import { volumeDetail, volumeSummary } from './volume-view.js';

const validateCreate = compileValidator(CreateVolumeBody, 'body');
const validateCreateStrict = compileValidator(CreateVolumeBodyStrict, 'body');
const validateUpdate = compileValidator(UpdateVolumeBody, 'body');
const validateUpdateStrict = compileValidator(UpdateVolumeBodyStrict, 'body');
const validateList = compileValidator(ListVolumesQuery, 'query');

type Params = { Params: { id: string } };

/**
 * `volumes`: create (202, synchronous: the body already shows `available`, or `error` when the
 * backend failed), list and `detail` with Cinder's filters and paging links, show, update, delete
 * (202). Bodies are validated per microversion before anything is read or changed.
 */
export function registerVolumeRoutes(app: FastifyInstance, deps: VolumeRouteDeps): void {
  app.post('/volumes', async (request, reply) => {
    const strict = atLeast(request.microversion, VolumeVersion.strictSchemas);
    const body = (strict ? validateCreateStrict : validateCreate)(request.body);
    const volume = await deps.volumes.create(request.ctx, toNewVolume(body.volume));
    return reply.status(202).send({ volume: volumeDetail(volume, [], viewContext(request, deps)) });
  });

  const list = (detail: boolean) => async (request: FastifyRequest) => {
    const query = queryOf(request);
    const parsed = validateList(query);
    const req = toListRequest(parsed, request);
    const page = await deps.volumes.list(request.ctx, req);
    const view = viewContext(request, deps);
    const attachments = detail ? await deps.volumes.attachmentsOf(page.volumes.map((v) => v.id)) : new Map();
    const body: Record<string, unknown> = {
      volumes: page.volumes.map((v) => (detail ? volumeDetail(v, attachments.get(v.id) ?? [], view) : volumeSummary(v, view))),
    };
    const last = page.volumes[page.volumes.length - 1];
    if (page.more && last !== undefined) {
      body['volumes_links'] = [{ rel: 'next', href: nextLink(`${view.selfBase}/volumes${detail ? '/detail' : ''}`, query, last.id) }];
    }
    if (page.count !== undefined) body['count'] = page.count;
    return body;
  };
  app.get('/volumes', list(false));
  app.get('/volumes/detail', list(true));

  app.get<Params>('/volumes/:id', async (request) => {
    const volume = await deps.volumes.get(request.ctx, canonicalUuid(request.params.id));
    return { volume: await detailOf(volume, request) };
  });

  app.put<Params>('/volumes/:id', async (request) => {
    const strict = atLeast(request.microversion, VolumeVersion.strictSchemas);
    const { volume: changes } = (strict ? validateUpdateStrict : validateUpdate)(request.body);
    const name = pick(changes.name, changes.display_name);
    const description = pick(changes.description, changes.display_description);
    const volume = await deps.volumes.update(request.ctx, canonicalUuid(request.params.id), {
      ...(name === undefined ? {} : { name: clean(name) }),
      ...(description === undefined ? {} : { description: clean(description) }),
      ...(changes.metadata === undefined ? {} : { metadata: changes.metadata }),
    });
    return { volume: await detailOf(volume, request) };
  });

  app.delete<Params>('/volumes/:id', async (request, reply) => {
    await deps.volumes.delete(request.ctx, canonicalUuid(request.params.id));
    return reply.status(202).send();
  });

  async function detailOf(volume: VolumeRecord, request: FastifyRequest): Promise<Record<string, unknown>> {
    const attachments = (await deps.volumes.attachmentsOf([volume.id])).get(volume.id) ?? [];
    return volumeDetail(volume, attachments, viewContext(request, deps));
  }
}

type CreateFields = Static<typeof CreateVolumeBody>['volume'];

function toNewVolume(v: CreateFields): NewVolumeRequest {
  const sources: [keyof CreateFields, string][] = [
    ['snapshot_id', 'Creating a volume from a snapshot'],
    ['source_volid', 'Creating a volume from another volume'],
    ['backup_id', 'Creating a volume from a backup'],
    ['consistencygroup_id', 'Creating a volume in a consistency group'],
    ['group_id', 'Creating a volume in a group'],
  ];
  for (const [key, what] of sources) if (v[key] !== undefined && v[key] !== null) throw VolumeErrors.unsupported(what);
  if (v.multiattach === true || (typeof v.multiattach === 'string' && boolWord(v.multiattach))) {
    throw new BadRequestError(
      'volume.multiattach_parameter',
      'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes.',
    );
  }
  if (v.size === undefined || v.size === null) throw VolumeErrors.invalidSize('None');
  const name = pick(v.name, v.display_name);
  const description = pick(v.description, v.display_description);
  const imageRef = pick(v.imageRef, v.image_id);
  return {
    size: Number(v.size),
    ...(name === undefined ? {} : { name: clean(name) }),
    ...(description === undefined ? {} : { description: clean(description) }),
    ...(imageRef === undefined || imageRef === null ? {} : { imageRef }),
    ...(v.availability_zone === undefined ? {} : { availabilityZone: v.availability_zone }),
    ...(v.metadata === undefined ? {} : { metadata: v.metadata }),
    ...(v.volume_type === undefined ? {} : { volumeType: v.volume_type }),
  };
}

function toListRequest(q: Static<typeof ListVolumesQuery>, request: FastifyRequest): VolumeListRequest {
  if (q.with_count !== undefined && !atLeast(request.microversion, VolumeVersion.withCount)) {
    throw new BadRequestError('volume.invalid_filter', `Invalid filters with_count are provided (with_count needs microversion ${VolumeVersion.withCount}).`);
  }
  const sort = sortOf(q);
  return {
    ...(q.all_tenants === undefined ? {} : { allTenants: boolWord(q.all_tenants) }),
    ...(q.project_id === undefined ? {} : { projectId: q.project_id }),
    ...(q.name === undefined ? {} : { name: q.name }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.bootable === undefined ? {} : { bootable: boolWord(q.bootable) }),
    ...(q.availability_zone === undefined ? {} : { availabilityZone: q.availability_zone }),
    ...(q.limit === undefined ? {} : { limit: q.limit }),
    ...(q.marker === undefined ? {} : { marker: canonicalUuid(q.marker) }),
    ...sort,
    ...(q.with_count === undefined ? {} : { withCount: boolWord(q.with_count) }),
  };
}

/** `sort=key[:dir]` (one key) or `sort_key`/`sort_dir`, not both. */
function sortOf(q: Static<typeof ListVolumesQuery>): { sortKey?: VolumeSortKey; sortDir?: SortDir } {
  if (q.sort === undefined) return { ...(q.sort_key === undefined ? {} : { sortKey: q.sort_key }), ...(q.sort_dir === undefined ? {} : { sortDir: q.sort_dir }) };
  if (q.sort_key !== undefined || q.sort_dir !== undefined) {
    throw new BadRequestError('volume.invalid_sort', "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
  }
  const keys = q.sort.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (keys.length > 1) throw new BadRequestError('volume.invalid_sort', `Sorting by more than one key is not supported by Tessera's volume service: ${q.sort}`);
  const [key = '', dir] = (keys[0] ?? '').split(':');
  if (!(VOLUME_SORT_KEYS as readonly string[]).includes(key)) throw new BadRequestError('volume.invalid_sort', `Invalid sort key: ${key}. Valid keys are ${VOLUME_SORT_KEYS.join(', ')}.`);
  if (dir !== undefined && !(SORT_DIRS as readonly string[]).includes(dir)) throw new BadRequestError('volume.invalid_sort', `Invalid sort direction: ${dir}. Valid directions are asc, desc.`);
  return { sortKey: key as VolumeSortKey, ...(dir === undefined ? {} : { sortDir: dir as SortDir }) };
}

/** The same query with the marker moved on (Cinder's `volumes_links`). */
function nextLink(base: string, query: Record<string, string>, marker: string): string {
  const params = new URLSearchParams({ ...query, marker });
  return `${base}?${params.toString()}`;
}

/** The v3 name if given, else the v1 one (`display_name`). */
function pick<T>(preferred: T | undefined, legacy: T | undefined): T | undefined {
  return preferred !== undefined ? preferred : legacy;
}

/** Cinder strips surrounding white space from names and descriptions. */
function clean(text: string | null): string | null {
  return text === null ? null : text.trim();
}
