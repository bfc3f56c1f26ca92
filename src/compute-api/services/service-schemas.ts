import { Type, type Static } from '@sinclair/typebox';
import { NovaBoolean } from '../flavors/flavor-schemas.js';

/** The query of GET /os-services; unknown parameters are refused from 2.75 on, as in Nova. */
export function serviceListQuery(strict: boolean) {
  return Type.Object(
    {
      host: Type.Optional(Type.String({ maxLength: 255 })),
      binary: Type.Optional(Type.String({ maxLength: 255 })),
    },
    { additionalProperties: !strict },
  );
}
export type ServiceListQuery = Static<ReturnType<typeof serviceListQuery>>;

const Reason = Type.String({ minLength: 1, maxLength: 255 });

/** The body of PUT /os-services/{service_id} from 2.53; nothing is required, but something must change. */
export const UpdateServiceBody = Type.Object(
  {
    status: Type.Optional(Type.Unsafe<'enabled' | 'disabled'>({ type: 'string', enum: ['enabled', 'disabled'] })),
    disabled_reason: Type.Optional(Reason),
    forced_down: Type.Optional(NovaBoolean),
  },
  { additionalProperties: false },
);
export type UpdateServiceRequest = Static<typeof UpdateServiceBody>;

/**
 * The body of the pre-2.53 `PUT /os-services/{enable|disable|disable-log-reason|force-down}`
 * forms, which name the service by host and binary; `forced_down` only from 2.11.
 */
export function legacyServiceActionBody(withForcedDown: boolean) {
  return Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' }),
      binary: Type.String({ minLength: 1, maxLength: 255 }),
      disabled_reason: Type.Optional(Reason),
      ...(withForcedDown ? { forced_down: Type.Optional(NovaBoolean) } : {}),
    },
    { additionalProperties: false },
  );
}
export interface LegacyServiceActionRequest {
  host: string;
  binary: string;
  disabled_reason?: string;
  forced_down?: boolean | string;
}
