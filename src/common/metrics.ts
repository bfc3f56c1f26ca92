/**
 * Timings that the services report (a scheduling decision, an allocation-candidates query), so the
 * simulator and the benchmarks can print percentiles. Injected; the default records nothing.
 */
export interface Metrics {
  observe(name: string, ms: number): void;
}

export const noMetrics: Metrics = { observe: () => undefined };

/** Keeps every observation in memory, for a benchmark run. */
export class RecordingMetrics implements Metrics {
  private readonly values = new Map<string, number[]>();

  observe(name: string, ms: number): void {
    let list = this.values.get(name);
    if (list === undefined) {
      list = [];
      this.values.set(name, list);
    }
    list.push(ms);
  }

  count(name: string): number {
    return this.values.get(name)?.length ?? 0;
  }

  /** The q-quantile (0..1) of one metric by nearest rank, or null when nothing was observed. */
  quantile(name: string, q: number): number | null {
    const list = this.values.get(name);
    if (list === undefined || list.length === 0) return null;
    const sorted = [...list].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank] as number;
  }
}
