import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { InternalError } from '../common/errors.js';

/**
 * Reads a policy file: a YAML (or JSON, which is YAML) mapping of rule name to rule string, as
 * oslo.policy's `policy.yaml`. Checks the shape only; the engine parses the rule strings so it
 * can name the file and the rule in one message.
 *
 * An explicitly configured file that cannot be read is an error rather than being skipped:
 * silently running on defaults could grant what the operator meant to forbid.
 *
 * @throws InternalError `policy.invalid_file`, naming the file (and the rule, for a bad value).
 * @example
 * const overrides = await loadPolicyFile('/etc/tessera/policy.yaml');
 * // { 'os_compute_api:servers:create': 'role:admin' }
 */
export async function loadPolicyFile(path: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = yaml.load(await readFile(path, 'utf8'), { filename: path });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(path, `cannot be loaded: ${reason}`, err);
  }
  // An empty file is a valid "no overrides" file, as in oslo.policy.
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(path, 'must be a mapping of rule name to rule string');
  }
  const rules: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw invalid(path, `rule "${name}" must be a string, got ${describe(value)}`);
    }
    rules[name] = value;
  }
  return rules;
}

function invalid(path: string, problem: string, cause?: unknown): InternalError {
  return new InternalError('policy.invalid_file', `Policy file ${path}: ${problem}`, {
    cause,
    details: { file: path },
  });
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
