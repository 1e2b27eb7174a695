import { join } from 'node:path';
import { benchMarkdown, LARGE_BATCH, PARITY_TOLERANCE, renderBenchHtml, runBench, runChild } from '../../bench/compare/index.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../platform/node/assets.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { stringOption, type Command } from './command.ts';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'msse beside ONNX Runtime Web and TensorFlow.js: inference, end to end, training, MFCC, cold start',
  help: `usage: msse bench [--quick] [--json OUT] [--html OUT] [--data DIR] [--model MODEL] [--no-peers]

Times every case on every implementation in one run, the same input for all (the first ${LARGE_BATCH} WAV files of
DIR by name, MFCCs by msse's front end, the model's weights), and prints a Markdown report:

  cases           inference (the network: MFCCs in, logits out; batch 1 and ${LARGE_BATCH}), end-to-end (WAV samples
                  to probabilities, batch 1), training-step (batch ${LARGE_BATCH}: forward, backward, Adam), mfcc,
                  cold-start (a fresh process, spawn to the first probabilities)
  implementations msse on each backend (webgpu; wasm with 1 and 2 threads); ONNX Runtime Web's wasm
                  execution provider on the model exported as ONNX, 1 and 2 threads; TensorFlow.js's wasm
                  backend, one thread (our network in tfjs ops). The peers are devDependencies: present
                  after \`npm ci\` in a clone of the repository.

Before timing, each implementation's logits are compared with msse's float64 reference (column parity,
max |got − ref| / max |ref|); one that differs by more than ${PARITY_TOLERANCE} is reported and not timed. The peers'
training rows hold what each answered when asked for a training step. Each row is compared with every msse
configuration, and per case and batch msse's fastest configuration with the fastest peer's. Then a per-kernel
table of msse's WebGPU inference and training passes against this adapter's measured roofline.

  --quick          the same cases with few samples (under two minutes; a smoke test)
  --json OUT       also write the rows as JSON: an array of {suite, case, impl, backend, threads, batch,
                   mean_ms, p99_ms, samples, parity[, note]}; mean_ms null for rows not run
  --html OUT       also write the report with a bar chart as one HTML file
  --data DIR       WAV files to take the input from (default: ../shared/data/emodb/wav beside the package)
  --model MODEL    the model (default: the shipped models/emodb.safetensors)
  --no-peers       msse alone
  --child SPEC     internal: how a run starts its fresh processes (cold start, ONNX Runtime with 2 threads)`,
  options: {
    quick: { type: 'boolean' },
    json: { type: 'string' },
    html: { type: 'string' },
    data: { type: 'string' },
    model: { type: 'string' },
    'no-peers': { type: 'boolean' },
    child: { type: 'string' },
  },

  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`bench: takes no positional arguments, got '${args.positionals[0]}'`);
    const child = stringOption(args, 'child');
    if (child !== undefined) {
      io.out(await runChild(child));
      return;
    }
    const [json, html] = [stringOption(args, 'json'), stringOption(args, 'html')];
    const modelPath = stringOption(args, 'model') ?? join(packageRoot(), 'models', 'emodb.safetensors');
    const dataDir = stringOption(args, 'data') ?? join(packageRoot(), '..', 'shared', 'data', 'emodb', 'wav');
    const suite = args.values.quick === true ? 'quick' : 'full';
    const outputs = prepareOutputs([json, html].filter((o): o is string => o !== undefined), { inputs: [modelPath] });
    try {
      const started = performance.now();
      const log = (line: string) => io.err(`bench: ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s  ${line}`);
      const result = await runBench({ suite, modelPath, dataDir, peers: args.values['no-peers'] !== true, log });
      const command = ['msse bench', ...(suite === 'quick' ? ['--quick'] : []), ...(args.values['no-peers'] === true ? ['--no-peers'] : [])].join(' ');
      for (const line of benchMarkdown(result, command)) io.out(line);
      if (json !== undefined) {
        writeOutputFile(json, JSON.stringify(result.rows, null, 2) + '\n');
        io.out(`wrote ${json}`);
      }
      if (html !== undefined) {
        writeOutputFile(html, renderBenchHtml(result, command));
        io.out(`wrote ${html}`);
      }
    } finally {
      outputs.release();
    }
  },
};
