import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { attachInterfaceToServer } from '../../../compute-api/interface-attachments/attach-interface.js';
import { detachInterfaceFromServer } from '../../../compute-api/interface-attachments/detach-interface.js';
import { attachInterfaceBody, type AttachInterfaceBody } from '../../../compute-api/interface-attachments/interface-attachment-schemas.js';
import { listInterfaceAttachments, showInterfaceAttachment } from '../../../compute-api/interface-attachments/list-interface-attachments.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { interfaceAttachmentView } from '../../views/interface-attachment-view.js';

// The body takes `tag` from 2.49.
const bodyValidators: [number, Validator<TSchema>][] = [49, 1].map((minor) => [minor, compileValidator(attachInterfaceBody(minor), 'body')]);

function pick(minor: number): Validator<TSchema> {
  return (bodyValidators.find(([from]) => minor >= from) ?? bodyValidators[bodyValidators.length - 1])?.[1] as Validator<TSchema>;
}

type ServerParams = { Params: { id: string } };
type PortParams = { Params: { id: string; portId: string } };

/** A server's port interfaces (`/servers/{id}/os-interface`): list, show, attach (200 with the interface) and detach (202). */
export async function interfaceAttachmentRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get<ServerParams>('/servers/:id/os-interface', async (request) => {
    const attachments = await listInterfaceAttachments(deps, request.ctx, request.params.id);
    return { interfaceAttachments: attachments.map((a) => interfaceAttachmentView(request.microversion, a.port, a.tag)) };
  });

  app.get<PortParams>('/servers/:id/os-interface/:portId', async (request) => {
    const a = await showInterfaceAttachment(deps, request.ctx, request.params.id, request.params.portId);
    return { interfaceAttachment: interfaceAttachmentView(request.microversion, a.port, a.tag) };
  });

  app.post<ServerParams>('/servers/:id/os-interface', async (request) => {
    const mv = request.microversion;
    // Nova takes a missing body as an empty request.
    const body = pick(mv.minor)(request.body ?? {}) as AttachInterfaceBody;
    const a = body.interfaceAttachment ?? {};
    const attached = await attachInterfaceToServer(deps, request.ctx, request.params.id, {
      ...(a.port_id === undefined ? {} : { portId: a.port_id }),
      ...(a.net_id === undefined ? {} : { networkId: a.net_id }),
      ...(a.fixed_ips === undefined ? {} : { fixedIps: a.fixed_ips }),
      ...(a.tag === undefined ? {} : { tag: a.tag }),
    });
    return { interfaceAttachment: interfaceAttachmentView(mv, attached.port, attached.tag) };
  });

  app.delete<PortParams>('/servers/:id/os-interface/:portId', async (request, reply) => {
    await detachInterfaceFromServer(deps, request.ctx, request.params.id, request.params.portId);
    return reply.status(202).send();
  });
}
