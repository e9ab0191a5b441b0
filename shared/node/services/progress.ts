import type { ScanProgress } from '../../core/api/contract.js';

/**
 * Turns raw counts into progress events with a rate and an ETA, throttled so a fast source does
 * not flood the UI (one event per interval, plus every phase change).
 */
export class ProgressMeter {
  private readonly startedAt = Date.now();
  private lastEmit = 0;
  private lastPhase = '';

  constructor(
    private readonly emit: (p: ScanProgress) => void,
    private readonly base: { scanId: string; source: string },
    private readonly intervalMs = 100,
  ) {}

  update(p: { phase: ScanProgress['phase']; done: number; total?: number; item?: string; warnings: number; failures: number }, force = false): void {
    const now = Date.now();
    if (!force && p.phase === this.lastPhase && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.lastPhase = p.phase;
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const ratePerSecond = p.done / seconds;
    const etaSeconds = p.total !== undefined && ratePerSecond > 0 && p.total >= p.done ? (p.total - p.done) / ratePerSecond : undefined;
    this.emit({ ...this.base, ...p, ratePerSecond: Math.round(ratePerSecond * 10) / 10, ...(etaSeconds !== undefined ? { etaSeconds: Math.round(etaSeconds) } : {}) });
  }
}
