import type { TSchema, Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../../common/errors.js';
import { compileValidator } from '../../api/validation/validator.js';
import { badRequest } from '../placement-errors.js';

const UUID_LIKE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Placement accepts uuids with or without dashes, in any case; it stores them dashed and lower-case. */
export function normalizeUuid(value: string): string | undefined {
  if (!UUID_LIKE.test(value)) return undefined;
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A body validator answering with Placement's "JSON does not validate: ..." 400. */
export function bodyValidator<T extends TSchema>(schema: T): (body: unknown) => Static<T> {
  const validate = compileValidator(schema, 'body');
  return (body) => {
    if (body === undefined || body === null) throw badRequest('Malformed JSON: the request has no body.');
    try {
      return validate(body);
    } catch (err) {
      if (err instanceof TesseraError && err.status === 400) throw badRequest(`JSON does not validate: ${err.message}`);
      throw err;
    }
  };
}

/** Every value of every query parameter, in order (Fastify keeps repeated keys too, but loosely typed). */
export function queryValues(request: FastifyRequest): Map<string, string[]> {
  const at = request.url.indexOf('?');
  const out = new Map<string, string[]>();
  if (at < 0) return out;
  for (const [key, value] of new URLSearchParams(request.url.slice(at + 1))) {
    const list = out.get(key);
    if (list === undefined) out.set(key, [value]);
    else list.push(value);
  }
  return out;
}

/**
 * A query validator: the last value of each key (as Placement's dict of the query) checked
 * against a schema of strings, answering "Invalid query string parameters: ..." with 400.
 */
export function queryValidator<T extends TSchema>(schema: T): (values: Map<string, string[]>) => Static<T> {
  const validate = compileValidator(schema, 'query');
  return (values) => {
    const last: Record<string, string> = {};
    for (const [key, list] of values) last[key] = list[list.length - 1] ?? '';
    try {
      return validate(last);
    } catch (err) {
      if (err instanceof TesseraError && err.status === 400) throw badRequest(`Invalid query string parameters: ${err.message}`);
      throw err;
    }
  };
}
