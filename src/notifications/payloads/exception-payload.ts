import { versionedObject, type VersionedObject } from '../notification.js';

/** ExceptionPayload 1.1: why an action failed, for `*.error` notifications. */
export interface ExceptionPayloadData {
  module_name: string;
  function_name: string;
  exception: string;
  exception_message: string;
  traceback: string;
}

export type ExceptionPayload = VersionedObject<ExceptionPayloadData>;

/**
 * Describes a thrown value as Nova does an exception: its class, its message, where it was thrown
 * (the innermost stack frame: a Tessera source file as a dotted module under `tessera.`, e.g.
 * `tessera.virt.fake.fake-driver`) and the stack, with the chain of causes.
 *
 * @example
 * exceptionPayload(new ConflictError('compute.unexpected_state', 'Conflict updating instance ...'))
 * // data.exception === 'ConflictError'
 */
export function exceptionPayload(error: unknown): ExceptionPayload {
  const err = error instanceof Error ? error : undefined;
  const frame = innermostFrame(err?.stack);
  return versionedObject('ExceptionPayload', '1.1', {
    module_name: frame?.module ?? 'unknown',
    function_name: frame?.func ?? 'unknown',
    exception: err?.name ?? typeof error,
    exception_message: err?.message ?? String(error),
    traceback: traceback(error),
  });
}

function traceback(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  // A cause chain can loop; stop at the first repeat.
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\nCaused by: ');
}

const FRAME = /^\s*at (?:async )?(?:(.+?) \()?(.+?)(?::\d+){1,2}\)?$/;

/** The first `at` line of a V8 stack: the function and the file it ran in. */
function innermostFrame(stack: string | undefined): { func: string; module: string } | undefined {
  const line = stack?.split('\n').find((l) => /^\s*at /.test(l));
  const match = line === undefined ? null : FRAME.exec(line);
  if (match === null) return undefined;
  const func = match[1] ?? '<anonymous>';
  return { func, module: moduleName(match[2] ?? '') };
}

function moduleName(location: string): string {
  const path = location.replace(/^file:\/\//, '');
  const at = path.lastIndexOf('/src/');
  if (at === -1) return path;
  return `tessera.${path.slice(at + '/src/'.length).replace(/\.[cm]?[jt]s$/, '').replaceAll('/', '.')}`;
}
