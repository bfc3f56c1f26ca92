/**
 * A host's uptime in the format of Linux `uptime`, which clients parse
 * (`" 10:00:00 up 3 days,  2:05,  0 users,  load average: 0.00, 0.00, 0.00"`). The hosts Tessera
 * simulates came up when their compute service first registered, so that is the boot time used.
 */
export function formatUptime(bootedAt: Date, now: Date): string {
  const clock = now.toISOString().slice(11, 19);
  const minutes = Math.max(0, Math.floor((now.getTime() - bootedAt.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const hhmm = `${String(hours).padStart(2, ' ')}:${String(mins).padStart(2, '0')}`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hhmm}` : hhmm;
  return ` ${clock} up ${up},  0 users,  load average: 0.00, 0.00, 0.00`;
}
