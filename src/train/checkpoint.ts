/**
 * Training checkpoints: everything a killed `msse train`, or a fold of a killed `msse cv`, needs to go on as if it
 * had never stopped. One safetensors file, written atomically (a kill mid-write leaves the previous checkpoint),
 * holding
 *
 *   param.<name>    trainable parameters         adam_m.<name>  Adam first moments
 *   buffer.<name>   BatchNorm running statistics adam_v.<name>  Adam second moments
 *
 * in the backend's own precision (F64 from the reference backend, F32 from WebGPU), and `__metadata__`:
 *
 *   format    `msse-checkpoint-v1`
 *   run       JSON: what fixes the run (config, seed, batch size, data and front end, backend…); resuming
 *             under a different `run` is refused, since it would not reproduce the uninterrupted run
 *   progress  JSON {"epoch", "step"}: epochs completed and Adam steps taken
 *   fold      (`msse cv` only) JSON: the fold's report entry after that epoch (cv-report.ts FoldResult: learning
 *             curve so far, that epoch's test confusion); after the last epoch, the finished fold's entry
 *
 * No random-generator state is stored: every draw (batch order, dropout masks) is a pure function of the seed,
 * epoch and step (src/train/rng.ts, src/runtime/random.ts), which the checkpoint holds.
 */
import { FormatError } from '../errors.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { decodeSafetensors, encodeSafetensors, type NamedSafetensorsTensor } from '../io/safetensors.ts';
import { readFileOr } from '../platform/node/read-file.ts';
import { parseFoldResult, type FoldResult } from './cv-report.ts';
import type { HostStore, HostTensor } from '../infer/model-state.ts';

/** The `format` metadata value of checkpoints; bump it when the layout changes. */
export const CHECKPOINT_FORMAT = 'msse-checkpoint-v1';

/** Adam's moments of one parameter, its shape. */
export interface HostMoments {
  readonly m: HostTensor;
  readonly v: HostTensor;
}

/** Where training stands after a whole epoch. */
export interface TrainingState {
  /** Epochs completed. */
  readonly epoch: number;
  /** Adam steps taken: t of the last step (also its dropout step). */
  readonly step: number;
  readonly store: HostStore;
  /** By parameter name. */
  readonly moments: Map<string, HostMoments>;
}

/** A checkpoint: the run it belongs to and the state reached. */
export interface Checkpoint {
  readonly run: Readonly<Record<string, unknown>>;
  readonly state: TrainingState;
  /** `msse cv`: the fold's report entry as of `state.epoch`. */
  readonly fold?: FoldResult;
}

const PREFIX = { param: 'param.', buffer: 'buffer.', m: 'adam_m.', v: 'adam_v.' } as const;

/** Encodes a checkpoint as safetensors bytes (layout above). */
export function encodeCheckpoint({ run, state, fold }: Checkpoint): Uint8Array {
  const tensors: NamedSafetensorsTensor[] = [];
  const add = (name: string, { shape, data }: HostTensor) =>
    tensors.push(data instanceof Float64Array ? { name, dtype: 'F64', shape, data } : { name, dtype: 'F32', shape, data });
  for (const [name, t] of state.store.parameters) add(PREFIX.param + name, t);
  for (const [name, t] of state.store.buffers) add(PREFIX.buffer + name, t);
  for (const [name, { m, v }] of state.moments) {
    add(PREFIX.m + name, m);
    add(PREFIX.v + name, v);
  }
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    run: JSON.stringify(run),
    progress: JSON.stringify({ epoch: state.epoch, step: state.step }),
    ...(fold === undefined ? {} : { fold: JSON.stringify(fold) }),
  });
}

/**
 * Writes a checkpoint atomically and durably: readers, and a resume after a kill or a power cut, see the old file
 * or the new one (output-file.ts).
 * @throws OutputError naming `path`
 */
export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeOutputFile(path, encodeCheckpoint(checkpoint));
}

/**
 * Reads a checkpoint written by saveCheckpoint.
 * @throws FormatError naming `path`: unreadable, not a checkpoint, damaged metadata (a cv fold entry included),
 *   a tensor of another dtype, or moments that do not match the parameters
 */
export function loadCheckpoint(path: string): Checkpoint {
  const fail = (message: string): never => {
    throw new FormatError(message, { file: path });
  };
  const { tensors, metadata } = decodeSafetensors(readFileOr(path, FormatError), path);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    fail(`not an msse checkpoint: metadata format is ${JSON.stringify(metadata.format) ?? 'missing'}; expected "${CHECKPOINT_FORMAT}"`);
  }
  const json = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? 'null');
    } catch {
      return fail(`metadata "${key}" is not valid JSON`);
    }
  };
  const object = (key: string): Record<string, unknown> => {
    const value = json(key);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(`metadata "${key}" is not a JSON object`);
  };
  const progress = object('progress');
  const count = (key: string): number => {
    const value = progress[key];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(`metadata "progress": ${key} is not a count`);
  };

  const groups = { param: new Map<string, HostTensor>(), buffer: new Map<string, HostTensor>(), m: new Map<string, HostTensor>(), v: new Map<string, HostTensor>() };
  for (const [fullName, tensor] of tensors) {
    if (tensor.dtype === 'I32') fail(`tensor "${fullName}" is I32; checkpoints store F32 or F64`);
    const group = (Object.keys(PREFIX) as (keyof typeof PREFIX)[]).find((g) => fullName.startsWith(PREFIX[g]));
    if (group === undefined) return fail(`tensor "${fullName}" has none of the prefixes ${Object.values(PREFIX).join(', ')}`);
    groups[group].set(fullName.slice(PREFIX[group].length), { shape: tensor.shape, data: tensor.data as Float32Array | Float64Array });
  }
  const moments = new Map<string, HostMoments>();
  for (const name of groups.param.keys()) {
    const m = groups.m.get(name);
    const v = groups.v.get(name);
    if (m === undefined || v === undefined) return fail(`parameter "${name}" has no Adam moments`);
    moments.set(name, { m, v });
  }
  if (groups.m.size !== moments.size || groups.v.size !== moments.size) fail('Adam moments of tensors that are not parameters');
  return {
    run: object('run'),
    state: { epoch: count('epoch'), step: count('step'), store: { parameters: groups.param, buffers: groups.buffer }, moments },
    ...(metadata.fold === undefined ? {} : { fold: parseFoldResult(json('fold'), 'metadata "fold"', path) }),
  };
}

/**
 * Checks that a saved run (a checkpoint's `run`, or what a finished model says of its run) is this run: every
 * setting of `run` equal (compared as JSON), none missing or extra, e.g.
 * `checkpoint is from another run: seed is 7 in the checkpoint but 46 here`.
 * @param what the kind of file `saved` came from, for the message
 * @throws FormatError naming `file` and every differing setting
 */
export function expectSameRun(
  saved: Readonly<Record<string, unknown>>,
  run: Readonly<Record<string, unknown>>,
  file: string,
  what: 'checkpoint' | 'model' = 'checkpoint',
): void {
  const differences: string[] = [];
  for (const key of new Set([...Object.keys(run), ...Object.keys(saved)])) {
    const there = JSON.stringify(saved[key]);
    const here = JSON.stringify(run[key]);
    if (there !== here) differences.push(`${key} is ${there ?? 'missing'} in the ${what} but ${here ?? 'absent'} here`);
  }
  if (differences.length > 0) throw new FormatError(`${what} is from another run: ${differences.join('; ')}`, { file });
}
