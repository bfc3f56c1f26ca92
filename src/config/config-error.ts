import { TesseraError } from '../common/errors.js';

/**
 * The configuration could not be loaded: a missing or unreadable file, or one or more invalid
 * options. Thrown once, at start-up, with every problem listed so the operator fixes them in one go.
 *
 * @example
 * throw new ConfigError('/etc/tessera.conf', ['[api] max_limit: expected an integer, got "abc"']);
 */
export class ConfigError extends TesseraError {
  readonly source: string;
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], options: { cause?: unknown } = {}) {
    super('config.invalid', 500, `Invalid configuration in ${source}: ${problems.join('; ')}`, {
      ...options,
      details: { source, problems: [...problems] },
    });
    this.source = source;
    this.problems = Object.freeze([...problems]);
  }
}
