import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import { compileExtraSpec, type ExtraSpecMatcher } from './extra-specs-ops.js';
import type { HostFilter } from './host-filter.js';

const SCOPE = 'aggregate_instance_extra_specs';

interface Requirement {
  key: string;
  matches: ExtraSpecMatcher;
}

const requirementsCache = new WeakMap<Record<string, string>, Requirement[]>();

/**
 * The flavor's extra specs this filter checks: unscoped keys (`ssd`) and keys scoped
 * `aggregate_instance_extra_specs:` (scope removed). Keys of any other scope (`hw:`, `resources:`,
 * `trait:`, ...) belong to others.
 */
function requirementsOf(extraSpecs: Record<string, string>): Requirement[] {
  let reqs = requirementsCache.get(extraSpecs);
  if (reqs === undefined) {
    reqs = [];
    for (const [fullKey, requirement] of Object.entries(extraSpecs)) {
      const colon = fullKey.indexOf(':');
      if (colon === -1) reqs.push({ key: fullKey, matches: compileExtraSpec(requirement) });
      else if (fullKey.slice(0, colon) === SCOPE) reqs.push({ key: fullKey.slice(colon + 1), matches: compileExtraSpec(requirement) });
    }
    requirementsCache.set(extraSpecs, reqs);
  }
  return reqs;
}

/**
 * Passes hosts whose aggregates' metadata satisfies the flavor's extra specs. For each checked key
 * the host offers every value of that key over all its aggregates (a value `a, b` offers `a` and
 * `b`); the host passes a key when one offered value matches the requirement in the operator
 * syntax of {@link compileExtraSpec}, and fails when no aggregate has the key.
 *
 * @example
 * // flavor extra_specs {'aggregate_instance_extra_specs:ssd': 'true'} passes hosts in an
 * // aggregate with metadata {ssd: 'true'} and no other host.
 */
export class AggregateInstanceExtraSpecsFilter implements HostFilter {
  readonly name = 'AggregateInstanceExtraSpecsFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const reqs = requirementsOf(spec.flavor.extra_specs);
    if (reqs.length === 0) return true;
    const aggregates = host.aggregates ?? [];
    return reqs.every(({ key, matches }) => {
      // A key that no aggregate of the host has fails too.
      for (const agg of aggregates) {
        // Own keys only: a flavor key such as `constructor` must not find Object's prototype.
        if (!Object.hasOwn(agg.metadata, key)) continue;
        const raw = agg.metadata[key] as string;
        if (!raw.includes(',')) {
          if (matches(raw.trim())) return true;
          continue;
        }
        for (const value of raw.split(',')) if (matches(value.trim())) return true;
      }
      return false;
    });
  }
}
