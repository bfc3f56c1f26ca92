import { Type, type TSchema } from '@sinclair/typebox';
import { BadRequestError } from '../../common/errors.js';
import { quotaResourcesAt, type QuotaResource } from './quota-resources.js';

const MAX_LIMIT = 0x7fffffff;
// Nova's `_common_quota`: an integer or its decimal spelling, -1 (unlimited) up to the database's MAX_INT.
const Limit = Type.Unsafe<number | string>({ type: ['integer', 'string'], pattern: '^-?[0-9]+$', minimum: -1, maximum: MAX_LIMIT });
// Nova's `parameter_types.boolean`.
const BOOLEAN_SPELLINGS = [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];
const Force = Type.Unsafe<boolean | string>({ type: ['boolean', 'string'], enum: BOOLEAN_SPELLINGS });

/**
 * The body of PUT /os-quota-sets/{project_id} at a microversion: `{"quota_set": {<resource>:
 * limit, ..., "force"?}}` with the resources that microversion knows (2.36 drops the network
 * ones, 2.57 the injected files); anything else is a 400.
 */
export function updateQuotaSetBody(minor: number): TSchema {
  const props: Record<string, TSchema> = { force: Type.Optional(Force) };
  for (const resource of quotaResourcesAt(minor)) props[resource] = Type.Optional(Limit);
  return Type.Object({ quota_set: Type.Object(props, { additionalProperties: false }) }, { additionalProperties: false });
}

export interface UpdateQuotaSetRequest {
  quota_set: Partial<Record<QuotaResource, number | string>> & { force?: boolean | string };
}

/** The query of show, detail, update and delete: `user_id`; other parameters are refused from 2.75. */
export function quotaSetQuery(strict: boolean): TSchema {
  return Type.Object({ user_id: Type.Optional(Type.String()) }, { additionalProperties: !strict });
}

/** The query of GET /limits: `tenant_id`; other parameters are refused from 2.75. */
export function limitsQuery(strict: boolean): TSchema {
  return Type.Object({ tenant_id: Type.Optional(Type.String()) }, { additionalProperties: !strict });
}

/**
 * A validated limit as a number. The schema can range-check only JSON numbers; a limit spelled
 * as a string is checked here, as Nova's validator does after converting it.
 */
export function limitValue(resource: string, raw: number | string): number {
  const value = typeof raw === 'number' ? raw : Number.parseInt(raw, 10);
  if (value < -1) throw new BadRequestError('api.invalid_input', `Invalid input for field/attribute ${resource}. Value: ${String(raw)}. ${String(raw)} is less than the minimum of -1`);
  if (value > MAX_LIMIT) throw new BadRequestError('api.invalid_input', `Invalid input for field/attribute ${resource}. Value: ${String(raw)}. ${String(raw)} is greater than the maximum of ${MAX_LIMIT}`);
  return value;
}
