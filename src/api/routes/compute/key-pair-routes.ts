import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { createKeyPair } from '../../../compute-api/key-pairs/create-key-pair.js';
import { deleteKeyPair, listKeyPairs, showKeyPair } from '../../../compute-api/key-pairs/key-pair-access.js';
import { createKeyPairBody, keyPairQuery, type CreateKeyPairRequest, type KeyPairQuery } from '../../../compute-api/key-pairs/key-pair-schemas.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { lastValues } from '../../validation/last-values.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { keyPairCreated, keyPairDetail, keyPairSummary } from '../../views/key-pair-view.js';

// The bodies and queries change at 2.2, 2.10, 2.35, 2.75 and 2.92.
const BODY_STEPS = [92, 10, 2, 1];
const QUERY_STEPS = [75, 35, 10, 1];
const bodyValidators = new Map(BODY_STEPS.map((m) => [m, compileValidator(createKeyPairBody(m), 'body')]));
const listValidators = new Map(QUERY_STEPS.map((m) => [m, compileValidator(keyPairQuery(m, true), 'query')]));
const oneValidators = new Map(QUERY_STEPS.map((m) => [m, compileValidator(keyPairQuery(m, false), 'query')]));

function pick(validators: Map<number, Validator<TSchema>>, steps: number[], minor: number): Validator<TSchema> {
  return validators.get(steps.find((m) => minor >= m) ?? 1) as Validator<TSchema>;
}

/** The query as validated, with `user_id` only where the microversion knows it (2.10+). */
function queryOf(request: FastifyRequest, list: boolean): KeyPairQuery {
  const minor = request.microversion.minor;
  const q = pick(list ? listValidators : oneValidators, QUERY_STEPS, minor)(lastValues(request.query)) as KeyPairQuery;
  return minor >= 10 ? q : {};
}

type NameParams = { Params: { name: string } };

/** Key pairs (`/os-keypairs`): list, create or import, show, delete. */
export async function keyPairRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-keypairs', async (request) => {
    const mv = request.microversion;
    const q = queryOf(request, true);
    const paged = atLeast(mv, '2.35');
    const { keyPairs, limit } = await listKeyPairs(deps, request.ctx, {
      ...(q.user_id === undefined ? {} : { userId: q.user_id }),
      ...(q.limit === undefined ? {} : { limit: Number(q.limit) }),
      ...(q.marker === undefined ? {} : { marker: q.marker }),
      paged,
    });
    const body: Record<string, unknown> = { keypairs: keyPairs.map((k) => ({ keypair: keyPairSummary(mv, k) })) };
    const last = keyPairs[keyPairs.length - 1];
    if (paged && last !== undefined && keyPairs.length === limit) {
      const params = new URLSearchParams(lastValues(request.query));
      params.set('marker', last.name);
      const version = request.url.startsWith('/compute/v2/') ? 'v2' : 'v2.1';
      body['keypairs_links'] = [{ rel: 'next', href: `${baseUrl(request)}/compute/${version}/os-keypairs?${params.toString()}` }];
    }
    return body;
  });

  // 200 at 2.1, 201 from 2.2, as Nova.
  app.post('/os-keypairs', async (request, reply) => {
    const mv = request.microversion;
    const { keypair } = pick(bodyValidators, BODY_STEPS, mv.minor)(request.body) as CreateKeyPairRequest;
    const { keyPair, privateKey } = await createKeyPair(deps, request.ctx, {
      name: keypair.name,
      type: keypair.type ?? 'ssh',
      ...(keypair.public_key === undefined ? {} : { publicKey: keypair.public_key }),
      ...(keypair.user_id === undefined ? {} : { userId: keypair.user_id }),
    });
    return reply.status(atLeast(mv, '2.2') ? 201 : 200).send({ keypair: keyPairCreated(mv, keyPair, privateKey) });
  });

  app.get<NameParams>('/os-keypairs/:name', async (request) => {
    const q = queryOf(request, false);
    return { keypair: keyPairDetail(request.microversion, await showKeyPair(deps, request.ctx, request.params.name, q.user_id)) };
  });

  // 202 at 2.1, 204 from 2.2.
  app.delete<NameParams>('/os-keypairs/:name', async (request, reply) => {
    const q = queryOf(request, false);
    await deleteKeyPair(deps, request.ctx, request.params.name, q.user_id);
    return reply.status(atLeast(request.microversion, '2.2') ? 204 : 202).send();
  });
}
