import { Type, type TSchema } from '@sinclair/typebox';
import { NovaBoolean } from '../flavors/flavor-schemas.js';
import { ServerTag } from '../servers/server-tag-schema.js';

// Nova's block_device.match_device pattern, as its schema uses it.
const Device = Type.Union([Type.String({ pattern: '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$' }), Type.Null()]);

/**
 * The body of POST /servers/{id}/os-volume_attachments: `volumeId` and an optional `device`;
 * `tag` from 2.49, `delete_on_termination` from 2.79; nothing else.
 */
export function attachVolumeBody(minor: number): TSchema {
  return Type.Object(
    {
      volumeAttachment: Type.Object(
        {
          volumeId: Type.String({ format: 'uuid' }),
          device: Type.Optional(Device),
          ...(minor >= 49 ? { tag: Type.Optional(ServerTag) } : {}),
          ...(minor >= 79 ? { delete_on_termination: Type.Optional(NovaBoolean) } : {}),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );
}

export interface AttachVolumeBody {
  volumeAttachment: { volumeId: string; device?: string | null; tag?: string; delete_on_termination?: boolean | string };
}

const NonNegative = Type.String({ pattern: '^[0-9]+$' });

/** The query of GET /servers/{id}/os-volume_attachments: `limit` and `offset`; others are refused from 2.75. */
export function listVolumeAttachmentsQuery(minor: number): TSchema {
  return Type.Object({ limit: Type.Optional(NonNegative), offset: Type.Optional(NonNegative) }, { additionalProperties: minor < 75 });
}

export interface ListVolumeAttachmentsQuery {
  limit?: string;
  offset?: string;
}
