/** Latency samples in milliseconds and their percentiles (nearest rank). */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
    return {
      count: sorted.length,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    };
  }
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export const formatLatency = (s: LatencySummary) =>
  `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (max ${s.max.toFixed(1)} ms, n=${s.count})`;
