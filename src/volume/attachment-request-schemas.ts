import { Type } from '@sinclair/typebox';
import { BOOL_WORD, MAX_VOLUME_LIMIT, UUID_PATTERN, literals } from './volume-request-schemas.js';
import { ATTACH_STATUSES } from './volume-status.js';

/**
 * Nova's connector: any keys, but `host` is required here, since attachments are counted per
 * host (Cinder reads it with a default of '').
 */
export const Connector = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    mountpoint: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    mode: Type.Optional(Type.Union([literals(['rw', 'ro'] as const), Type.Null()])),
  },
  { additionalProperties: true },
);

const createBody = (withMode: boolean) =>
  Type.Object(
    {
      attachment: Type.Object(
        {
          volume_uuid: Type.String({ pattern: UUID_PATTERN }),
          instance_uuid: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
          // python-cinderclient sends {} when it only reserves.
          connector: Type.Optional(Type.Union([Connector, Type.Object({}, { additionalProperties: false }), Type.Null()])),
          ...(withMode ? { mode: Type.Optional(literals(['rw', 'ro'] as const)) } : {}),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );

/** `POST /attachments` (3.27+); `mode` from 3.54. */
export const CreateAttachmentBody = createBody(false);
export const CreateAttachmentBodyWithMode = createBody(true);

/** `PUT /attachments/{id}`: a connector is required. */
export const UpdateAttachmentBody = Type.Object(
  { attachment: Type.Object({ connector: Connector }, { additionalProperties: false }) },
  { additionalProperties: false },
);

/** `POST /attachments/{id}/action` (3.44+): only `os-complete`. */
export const AttachmentActionBody = Type.Object({ 'os-complete': Type.Unknown() }, { additionalProperties: false });

/** `GET /attachments[/detail]` query; Cinder's filters (`instance_id`, `status` or `attach_status`). */
export const ListAttachmentsQuery = Type.Object(
  {
    all_tenants: Type.Optional(Type.String({ pattern: BOOL_WORD })),
    project_id: Type.Optional(Type.String({ maxLength: 255 })),
    volume_id: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
    instance_id: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
    status: Type.Optional(literals(ATTACH_STATUSES)),
    attach_status: Type.Optional(literals(ATTACH_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VOLUME_LIMIT })),
    marker: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
