/**
 * The usage audit period, as Nova's `[DEFAULT] instance_usage_audit_period`: `hour`, `day`,
 * `month` or `year`, optionally with an offset after `@` (`day@18` starts days at 18:00 UTC,
 * `month@15` on the 15th, `year@3` on March 1st). Times are UTC.
 */
const AUDIT_PERIOD_PATTERN = /^(hour|day|month|year)(@\d+)?$/;

/**
 * The current audit period: from the end of the last completed period up to `now` (Nova's
 * audit_period_bounds with current_period, which instance.exists uses outside the periodic audit).
 *
 * @example
 * currentAuditPeriod(new Date('2026-03-10T12:00:00Z'), 'month')
 * // { beginning: 2026-03-01T00:00:00Z, ending: 2026-03-10T12:00:00Z }
 */
export function currentAuditPeriod(now: Date, unit: string): { beginning: Date; ending: Date } {
  return { beginning: lastCompletedPeriodEnd(now, unit), ending: now };
}

function lastCompletedPeriodEnd(now: Date, spec: string): Date {
  const match = AUDIT_PERIOD_PATTERN.exec(spec);
  const unit = match?.[1] ?? 'month';
  const offset = match?.[2] === undefined ? 0 : Number(match[2].slice(1));
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const t = now.getTime();
  // Each unit: the period boundary in the current unit, or the one before when it is not past yet.
  switch (unit) {
    case 'hour': {
      const end = Date.UTC(y, m, now.getUTCDate(), now.getUTCHours(), offset);
      return new Date(end >= t ? end - 3_600_000 : end);
    }
    case 'day': {
      const end = Date.UTC(y, m, now.getUTCDate(), offset);
      return new Date(end >= t ? end - 86_400_000 : end);
    }
    case 'year': {
      const month = Math.max(offset, 1) - 1;
      const end = Date.UTC(y, month, 1);
      return new Date(end >= t ? Date.UTC(y - 1, month, 1) : end);
    }
    default: {
      const day = Math.max(offset, 1);
      const end = Date.UTC(y, m, day);
      return new Date(end >= t ? Date.UTC(y, m - 1, day) : end);
    }
  }
}
