import { statSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { loadModel } from '../platform/node/model-file.ts';
import { MODEL_FORMAT, type Float32Tensor, type LoadedModel } from '../io/model-file.ts';
import { formatShape, numElements } from '../runtime/tensor.ts';
import type { Command } from './command.ts';
import { inspectDump, dumpHelp, dumpOptions } from './inspect-dump.ts';
import { inspectOps, opsHelp, opsOptions } from './inspect-ops.ts';

/** One row of the tensor listing. */
interface TensorRow {
  readonly name: string;
  readonly kind: 'parameter' | 'buffer';
  readonly shape: readonly number[];
  readonly numElements: number;
}

/** What `msse inspect --json` prints; the text form shows the same fields. */
interface ModelSummary {
  readonly file: string;
  readonly format: string;
  readonly sizeBytes: number;
  readonly tensors: readonly TensorRow[];
  /** Elements of the trainable tensors; BatchNorm running statistics (buffers) are not counted. */
  readonly parameterCount: number;
  /** Elements of the buffers. */
  readonly bufferCount: number;
  readonly labels: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly frontEnd: Readonly<Record<string, unknown>>;
  readonly provenance: Readonly<Record<string, unknown>>;
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'list a model file (tensors, metadata), or with --ops every kernel call of a pass, timed',
  help: `usage: msse inspect MODEL [--json]
       msse inspect --ops [--train] [--unfused|--compare] [--batch B] [--frames T] [--backend NAME [--threads N]]
                          [--json] [--html OUT]
       msse inspect [MODEL] --dump SITE -o OUT.f32 [--wav FILE] [--backend NAME]

Reads an msse model file (safetensors, format ${MODEL_FORMAT}) and lists every tensor (name, shape,
element count), the parameter count, and the metadata: labels, network config, front-end settings
and provenance.

The parameter count excludes the buffers, the BatchNorm running means and variances: they are stored
in the file and used at inference, but not trained by gradient descent.

  --json         print the same as one JSON object
${opsHelp}
${dumpHelp}`,
  options: { json: { type: 'boolean' }, ops: { type: 'boolean' }, ...opsOptions, ...dumpOptions },

  async run(args, io) {
    if (args.values.ops === true) return inspectOps(args, io);
    if (args.values.dump !== undefined) return inspectDump(args, io);
    if (args.positionals.length !== 1) {
      throw new UsageError(`inspect: expected one MODEL file, got ${args.positionals.length}`);
    }
    const summary = summarizeModel(loadModel(args.positionals[0]!));
    if (args.values.json === true) io.out(JSON.stringify(summary, null, 2));
    else for (const line of summaryLines(summary)) io.out(line);
  },
};

/** Builds the listing of a loaded model; tensors in name order, so buffers sit beside their BatchNorm's parameters. */
function summarizeModel(model: LoadedModel): ModelSummary {
  const rows = (tensors: ReadonlyMap<string, Float32Tensor>, kind: TensorRow['kind']): TensorRow[] =>
    [...tensors].map(([name, { shape }]) => ({ name, kind, shape, numElements: numElements(shape) }));
  const total = (group: readonly TensorRow[]): number => group.reduce((sum, row) => sum + row.numElements, 0);
  const parameters = rows(model.parameters, 'parameter');
  const buffers = rows(model.buffers, 'buffer');
  return {
    file: model.file,
    format: MODEL_FORMAT,
    sizeBytes: statSync(model.file).size,
    tensors: [...parameters, ...buffers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    parameterCount: total(parameters),
    bufferCount: total(buffers),
    labels: model.labels,
    config: model.config,
    frontEnd: model.frontEnd,
    provenance: model.provenance,
  };
}

/** The text form: aligned columns, one metadata setting per line, values as compact JSON. */
function summaryLines(summary: ModelSummary): string[] {
  const parameters = summary.tensors.filter((t) => t.kind === 'parameter');
  const buffers = summary.tensors.filter((t) => t.kind === 'buffer');
  const nameWidth = Math.max(0, ...summary.tensors.map((t) => t.name.length));
  const shapeWidth = Math.max(0, ...summary.tensors.map((t) => formatShape(t.shape).length));
  const countWidth = Math.max(0, ...summary.tensors.map((t) => String(t.numElements).length));
  const settings = (title: string, values: Readonly<Record<string, unknown>>): string[] => {
    const width = Math.max(0, ...Object.keys(values).map((key) => key.length));
    const lines = Object.entries(values).map(([key, value]) => `  ${key.padEnd(width)}  ${JSON.stringify(value)}`);
    return [`${title}:`, ...(lines.length > 0 ? lines : ['  (none)'])];
  };
  return [
    `${summary.file}: ${summary.format}, ${summary.sizeBytes} bytes, ${count(summary.tensors.length, 'tensor')}`,
    '',
    'tensors (name, shape, elements; "buffer" marks BatchNorm running statistics):',
    ...summary.tensors.map(
      (t) =>
        `  ${t.name.padEnd(nameWidth)}  ${formatShape(t.shape).padEnd(shapeWidth)}  ${String(t.numElements).padStart(countWidth)}` +
        (t.kind === 'buffer' ? '  buffer' : ''),
    ),
    '',
    `parameters: ${summary.parameterCount} in ${count(parameters.length, 'tensor')} ` +
      `(excluding the BatchNorm running statistics: ${summary.bufferCount} values in ${count(buffers.length, 'buffer')})`,
    `labels (${summary.labels.length}): ${summary.labels.length > 0 ? summary.labels.join(', ') : '(none)'}`,
    '',
    ...settings('config', summary.config),
    '',
    ...settings('front end', summary.frontEnd),
    '',
    ...settings('provenance', summary.provenance),
  ];
}

/** `1 tensor`, `3 tensors`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
