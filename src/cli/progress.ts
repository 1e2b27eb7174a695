import type { CliIO } from './command.ts';

/**
 * A live progress line with ETA, redrawn in place on a terminal and silent when stderr is piped
 * (logs stay clean; the command's own result lines still go to stdout).
 */
export class Progress {
  private readonly startedMs = performance.now();
  private lastDrawMs = -Infinity;

  constructor(
    private readonly io: CliIO,
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Reports that `done` of `total` items are finished; redraws at most 10 times a second. */
  update(done: number, detail = ''): void {
    if (!this.io.isTTY) return;
    const nowMs = performance.now();
    if (done < this.total && nowMs - this.lastDrawMs < 100) return;
    this.lastDrawMs = nowMs;
    const elapsedS = (nowMs - this.startedMs) / 1000;
    const etaS = done > 0 ? (elapsedS / done) * (this.total - done) : NaN;
    const eta = Number.isFinite(etaS) ? `ETA ${formatSeconds(etaS)}` : 'ETA --';
    process.stderr.write(`\r\x1b[K${this.label} ${done}/${this.total} ${formatSeconds(elapsedS)} ${eta} ${detail}`);
  }

  /** Clears the live line. */
  finish(): void {
    if (this.io.isTTY) process.stderr.write('\r\x1b[K');
  }
}

/** `75.3` -> `1m15s`, `4.2` -> `4.2s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
