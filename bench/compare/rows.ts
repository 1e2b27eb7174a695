/** The rows `msse bench` measures, as `--json` writes them (one object per case × implementation × batch). */
import type { Suite } from './settings.ts';

/** msse, or a peer by the name the JSON uses. */
export type ImplName = 'msse' | 'ort-wasm' | 'tfjs-wasm';

/** `inference` is the network alone (MFCCs in, logits out), the case where msse and the peers line up. */
export type CaseName = 'inference' | 'end-to-end' | 'training-step' | 'mfcc' | 'cold-start';

export const CASES: readonly CaseName[] = ['inference', 'end-to-end', 'training-step', 'mfcc', 'cold-start'];

export interface BenchRow {
  /** The run's settings: `full`, or `quick` (few samples). */
  readonly suite: Suite;
  readonly case: CaseName;
  readonly impl: ImplName;
  /** `webgpu` or `wasm` (msse's backends), `wasm` for the peers' WebAssembly runtimes. */
  readonly backend: string;
  /** CPU threads of a WebAssembly runtime; null on WebGPU (the adapter's own, Mesa's llvmpipe threads here). */
  readonly threads: number | null;
  readonly batch: number;
  /** Milliseconds per call (a whole batch); null when not measured (see `note`). */
  readonly mean_ms: number | null;
  readonly p99_ms: number | null;
  readonly samples: number;
  /** max |logit − ref| / max |ref| against msse's float64 reference (mfcc: the MFCCs'); null where nothing to compare. */
  readonly parity: number | null;
  /** Why a row has no timing (a failed parity check, what a peer cannot do), or how it was measured. */
  readonly note?: string;
}

/** `msse webgpu`, `ort-wasm 2 threads`: how tables name a row's implementation. */
export function implLabel(row: Pick<BenchRow, 'impl' | 'backend' | 'threads'>): string {
  const threads = row.threads === null ? '' : ` ${row.threads} thread${row.threads === 1 ? '' : 's'}`;
  return row.impl === 'msse' ? `msse ${row.backend}${threads}` : `${row.impl}${threads}`;
}
