import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import { BadRequestError } from '../../common/errors.js';

// ajv-formats is CommonJS with a default export that ESM typings see wrapped; load it the CommonJS way.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

const bodyAjv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
const queryAjv = new Ajv({ allErrors: false, strict: false, coerceTypes: 'array', useDefaults: false });
for (const ajv of [bodyAjv, queryAjv]) {
  addFormats(ajv);
  // Nova's uuid format accepts the hex with or without dashes; keep the strict dashed form for output.
  ajv.addFormat('uuid', /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);
}

export type Validator<T extends TSchema> = (value: unknown) => Static<T>;

/**
 * Compiles a schema into a function that returns the value typed, or throws a 400 whose message
 * names the field as Nova's does ("Invalid input for field/attribute name. Value: ... ").
 * Query strings are coerced from their string form; bodies are taken exactly as sent.
 *
 * @example
 * const validateBody = compileValidator(CreateServerBody, 'body');
 * const body = validateBody(request.body);
 */
export function compileValidator<T extends TSchema>(schema: T, where: 'body' | 'query'): Validator<T> {
  const check = (where === 'body' ? bodyAjv : queryAjv).compile(schema);
  return (value: unknown) => {
    const copy = where === 'query' ? { ...(value as object) } : value;
    if (check(copy)) return copy as Static<T>;
    throw new BadRequestError('api.invalid_input', describeError(check.errors?.[0], value, where));
  };
}

function describeError(err: ErrorObject | undefined, root: unknown, where: 'body' | 'query'): string {
  if (err === undefined) return 'Invalid input.';
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    return where === 'query'
      ? `Invalid input for query parameters ${extra}. Value: ${String((root as Record<string, unknown>)[extra])}. Additional properties are not allowed ('${extra}' was unexpected)`
      : `Additional properties are not allowed ('${extra}' was unexpected)`;
  }
  if (err.keyword === 'required') {
    return `'${String((err.params as { missingProperty: string }).missingProperty)}' is a required property`;
  }
  const path = err.instancePath.split('/').filter((p) => p !== '');
  const field = path[path.length - 1] ?? '(root)';
  const value = path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  const kind = where === 'query' ? 'query parameter' : 'field/attribute';
  return `Invalid input for ${kind} ${field}. Value: ${shown}. ${explain(err, value)}`;
}

function explain(err: ErrorObject, value: unknown): string {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  switch (err.keyword) {
    case 'maxLength':
      return `${shown} is too long`;
    case 'minLength':
      return `${shown} is too short`;
    case 'type':
      return `${shown} is not of type '${String((err.params as { type: string }).type)}'`;
    case 'format':
      return `${shown} is not a '${String((err.params as { format: string }).format)}'`;
    case 'enum':
      return `${shown} is not one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'pattern':
      return `${shown} does not match '${String((err.params as { pattern: string }).pattern)}'`;
    case 'minimum':
    case 'maximum':
      return `${shown} is ${err.keyword === 'minimum' ? 'less' : 'greater'} than the ${err.keyword} of ${String((err.params as { limit: number }).limit)}`;
    default:
      return err.message ?? 'is invalid';
  }
}
