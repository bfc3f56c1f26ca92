import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ServiceChanges } from '../../db/cell/service-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { boolFromString } from '../flavors/bool-from-string.js';
import { collectServices, type ServiceEntry } from './list-services.js';
import type { LegacyServiceActionRequest, UpdateServiceRequest } from './service-schemas.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * PUT /os-services/{service_id} (2.53+, administrators): enable or disable a nova-compute service
 * (with an optional reason), and/or set its forced_down flag. Returns the updated service.
 */
export async function updateService(deps: ComputeApiDeps, ctx: RequestContext, serviceId: string, body: UpdateServiceRequest): Promise<ServiceEntry> {
  if (!UUID.test(serviceId)) throw new BadRequestError('compute.invalid_uuid', `Invalid uuid ${serviceId}`);
  deps.policy.authorize('os_compute_api:os-services:update', ctx, { project_id: ctx.projectId });
  const wanted = serviceId.replace(/-/g, '').toLowerCase();
  const entry = (await collectServices(deps)).find((e) => e.service.uuid.replace(/-/g, '').toLowerCase() === wanted);
  if (entry === undefined) throw new NotFoundError('compute.service_not_found', `Service ${serviceId} could not be found.`);
  requireCompute(entry.service.binary);

  const changes: ServiceChanges = {};
  if (body.status === 'enabled') {
    if (body.disabled_reason !== undefined) {
      throw new BadRequestError('compute.invalid_service_update', "Specifying 'disabled_reason' with status 'enabled' is invalid.");
    }
    changes.disabled = false;
    changes.disabled_reason = null;
  } else if (body.status === 'disabled') {
    changes.disabled = true;
    changes.disabled_reason = body.disabled_reason ?? null;
  }
  if (body.forced_down !== undefined) changes.forced_down = boolFromString(body.forced_down) ?? false;
  if (Object.keys(changes).length === 0) {
    throw new BadRequestError('compute.invalid_service_update', "No updates were requested. Fields 'status' or 'forced_down' should be specified.");
  }

  const service = await deps.cells.repos(entry.cell).services.update(entry.service.id, changes);
  logChange(deps, ctx, service.host, service.binary, changes);
  const refreshed = (await collectServices(deps, { host: service.host, binary: service.binary })).find((e) => e.service.uuid === service.uuid);
  return refreshed ?? { ...entry, service };
}

/** What the pre-2.53 action forms answer with. */
export type LegacyServiceResult = { host: string; binary: string } & Record<string, unknown>;

/**
 * The pre-2.53 `PUT /os-services/{action}` forms, naming the service by host and binary:
 * `enable`, `disable`, `disable-log-reason` and (from 2.11) `force-down`. An unknown action is 404.
 */
export async function legacyServiceAction(
  deps: ComputeApiDeps,
  ctx: RequestContext,
  action: string,
  body: LegacyServiceActionRequest,
  allowForceDown: boolean,
): Promise<LegacyServiceResult> {
  deps.policy.authorize('os_compute_api:os-services:update', ctx, { project_id: ctx.projectId });
  const { host, binary } = body;
  switch (action) {
    case 'enable':
      await setByHostAndBinary(deps, ctx, host, binary, { disabled: false, disabled_reason: null });
      return { host, binary, status: 'enabled' };
    case 'disable':
      await setByHostAndBinary(deps, ctx, host, binary, { disabled: true, disabled_reason: null });
      return { host, binary, status: 'disabled' };
    case 'disable-log-reason': {
      const reason = body.disabled_reason;
      if (reason === undefined) throw new BadRequestError('compute.invalid_service_update', 'Missing disabled reason field');
      await setByHostAndBinary(deps, ctx, host, binary, { disabled: true, disabled_reason: reason });
      return { host, binary, status: 'disabled', disabled_reason: reason };
    }
    case 'force-down':
      if (allowForceDown) {
        if (body.forced_down === undefined) throw new BadRequestError('compute.invalid_service_update', 'Missing forced_down field');
        const forcedDown = boolFromString(body.forced_down) ?? false;
        await setByHostAndBinary(deps, ctx, host, binary, { forced_down: forcedDown });
        return { host, binary, forced_down: forcedDown };
      }
      break;
  }
  throw new NotFoundError('compute.unknown_action', 'Unknown action');
}

async function setByHostAndBinary(deps: ComputeApiDeps, ctx: RequestContext, host: string, binary: string, changes: ServiceChanges): Promise<void> {
  requireCompute(binary);
  const entry = (await collectServices(deps, { host, binary }))[0];
  if (entry === undefined) throw new NotFoundError('compute.host_binary_not_found', `Could not find binary ${binary} on host ${host}.`);
  await deps.cells.repos(entry.cell).services.update(entry.service.id, changes);
  logChange(deps, ctx, host, binary, changes);
}

// Only compute services mean anything to enable, disable or force down.
function requireCompute(binary: string): void {
  if (binary !== 'nova-compute') {
    throw new BadRequestError('compute.service_update_unsupported', `Updating a ${binary} service is not supported. Only nova-compute services can be updated.`);
  }
}

function logChange(deps: ComputeApiDeps, ctx: RequestContext, host: string, binary: string, changes: ServiceChanges): void {
  deps.logger.info({ request_id: ctx.requestId, host, service: binary, changes }, 'service updated');
}
