/** A service is up when it reported within `service_down_time` seconds and is not forced down. */
export function isServiceUp(service: { last_seen_up: string | null; updated_at: string | null; forced_down: boolean }, now: Date, downTimeSeconds: number): boolean {
  if (service.forced_down) return false;
  const seen = service.last_seen_up ?? service.updated_at;
  if (seen === null) return false;
  return now.getTime() - new Date(seen).getTime() <= downTimeSeconds * 1000;
}
