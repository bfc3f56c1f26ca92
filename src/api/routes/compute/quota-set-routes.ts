import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { limitsQuery, quotaSetQuery, updateQuotaSetBody, type UpdateQuotaSetRequest } from '../../../compute-api/quotas/quota-set-schemas.js';
import { showLimits } from '../../../compute-api/quotas/show-limits.js';
import { showDefaultQuotaSet, showQuotaSet, showQuotaSetDetail } from '../../../compute-api/quotas/show-quota-set.js';
import { deleteQuotaSet, updateQuotaSet } from '../../../compute-api/quotas/update-quota-set.js';
import { atLeast, type Microversion } from '../../microversion.js';
import { lastValues } from '../../validation/last-values.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { limitsView } from '../../views/limits-view.js';
import { quotaSetView } from '../../views/quota-set-view.js';

// The update body changes at 2.36 and 2.57; queries refuse unknown parameters from 2.75.
const validateUpdate1 = compileValidator(updateQuotaSetBody(1), 'body');
const validateUpdate36 = compileValidator(updateQuotaSetBody(36), 'body');
const validateUpdate57 = compileValidator(updateQuotaSetBody(57), 'body');
const validateQueryLoose = compileValidator(quotaSetQuery(false), 'query');
const validateQueryStrict = compileValidator(quotaSetQuery(true), 'query');
const validateLimitsLoose = compileValidator(limitsQuery(false), 'query');
const validateLimitsStrict = compileValidator(limitsQuery(true), 'query');

function updateValidator(minor: number): Validator<TSchema> {
  return minor >= 57 ? validateUpdate57 : minor >= 36 ? validateUpdate36 : validateUpdate1;
}

function userIdOf(mv: Microversion, query: unknown): string | undefined {
  const q = (atLeast(mv, '2.75') ? validateQueryStrict : validateQueryLoose)(lastValues(query)) as { user_id?: string };
  return q.user_id;
}

type IdParams = { Params: { id: string } };

/** `GET /limits` and the quota sets (`/os-quota-sets/{project_id}`: show, update, delete, defaults, detail). */
export async function quotaSetRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/limits', async (request) => {
    const mv = request.microversion;
    const q = (atLeast(mv, '2.75') ? validateLimitsStrict : validateLimitsLoose)(lastValues(request.query)) as { tenant_id?: string };
    const { limits, usage } = await showLimits(deps, request.ctx, q.tenant_id);
    return limitsView(mv, limits, usage);
  });

  app.get<IdParams>('/os-quota-sets/:id', async (request) => {
    const mv = request.microversion;
    userIdOf(mv, request.query);
    return quotaSetView(mv, await showQuotaSet(deps, request.ctx, request.params.id), request.params.id);
  });

  app.get<IdParams>('/os-quota-sets/:id/detail', async (request) => {
    const mv = request.microversion;
    const userId = userIdOf(mv, request.query);
    return quotaSetView(mv, await showQuotaSetDetail(deps, request.ctx, request.params.id, userId), request.params.id);
  });

  app.get<IdParams>('/os-quota-sets/:id/defaults', async (request) => {
    return quotaSetView(request.microversion, showDefaultQuotaSet(deps, request.ctx, request.params.id), request.params.id);
  });

  app.put<IdParams>('/os-quota-sets/:id', async (request) => {
    const mv = request.microversion;
    const userId = userIdOf(mv, request.query);
    const body = updateValidator(mv.minor)(request.body) as UpdateQuotaSetRequest;
    return quotaSetView(mv, await updateQuotaSet(deps, request.ctx, request.params.id, body, userId));
  });

  // 202 with no body, as Nova.
  app.delete<IdParams>('/os-quota-sets/:id', async (request, reply) => {
    const userId = userIdOf(request.microversion, request.query);
    await deleteQuotaSet(deps, request.ctx, request.params.id, userId);
    return reply.status(202).send();
  });
}
