import { cpus } from 'node:os';
import { threadWords } from '../api/open-backend.ts';
import { expectFitsBackend, openBackend, type BackendName, type OpenBackend } from '../platform/node/backends.ts';
import { largestTensorBytes } from '../model/pass-size.ts';
import { UsageError } from '../errors.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { compareInference, expectFusedKernels, profileNetwork, profileNetworkCalls, type InferenceComparison, type ProfileOptions } from '../profile/network-pass.ts';
import { isDispatchRow, isWebGpuProfile, type PassProfile } from '../profile/ops-profile.ts';
import { renderOpsReportHtml } from '../report/ops-report-html.ts';
import { EMODB_CONFIG } from '../model/config.ts';
import { initParams } from '../model/params.ts';
import type { ParamStore } from '../runtime/params.ts';
import { backendOption, integerOption, stringOption, threadsOption, type CliIO, type OptionSpec, type ParsedArgs } from './command.ts';
import { MAX_BATCH } from './training-run.ts';
import { frameCount, MAX_LENGTH_SAMPLES } from '../audio/mfcc-settings.ts';

export const opsOptions: OptionSpec = {
  train: { type: 'boolean' },
  batch: { type: 'string' },
  frames: { type: 'string' },
  seed: { type: 'string' },
  repeats: { type: 'string' },
  html: { type: 'string' },
  unfused: { type: 'boolean' },
  compare: { type: 'boolean' },
  threads: { type: 'string' },
};

export const opsHelp = `
  --ops          run one pass of MS-SENet (EMO-DB config, seeded random weights and input) and list every
                 kernel call in order: kernel (family.entry), time, FLOPs, compulsory bytes, GFLOP/s, GB/s,
                 workgroups and tensor shapes; then totals per family. --backend webgpu (default): each
                 dispatch replayed alone; wasm or reference: each call's wall time (kernels run when called);
                 --threads N: the wasm backend's threads (default: the cores, up to 4)
  --train        with --ops: a whole training step (forward, loss, backward, Adam) instead of inference
  --unfused      with --ops: inference through the unfused forward (one dispatch per op) instead of the fused one
  --compare      with --ops: also profile the unfused inference pass, then time both passes alternately in the
                 same run (median of 15 rounds or --repeats) and print dispatches and times side by side
  --batch B      with --ops: batch size (default 4); --frames T: frames (default 188)
  --seed S       with --ops: seed of weights, input and dropout (default 1)
  --repeats N    with --ops: timing repeats, median taken (default 5)
  --html OUT     with --ops: also write a timeline and tables as one HTML file`;

/** `msse inspect --ops`: profile one pass of the network and print it (text or --json), optionally as HTML. */
export async function inspectOps(args: ParsedArgs, io: CliIO): Promise<void> {
  if (args.positionals.length > 0) throw new UsageError('inspect --ops: takes no MODEL yet; it profiles a seeded EMO-DB model');
  const options = {
    batch: integerOption(args, 'batch', 4, 1, MAX_BATCH),
    frames: integerOption(args, 'frames', 188, 1, frameCount(MAX_LENGTH_SAMPLES)),
    seed: integerOption(args, 'seed', 1, 0, 0xffffffff),
    repeats: integerOption(args, 'repeats', 5, 1, 1000),
    train: args.values.train === true,
    unfused: args.values.unfused === true,
  };
  const compare = args.values.compare === true && !options.train;
  const html = stringOption(args, 'html');
  const outputs = prepareOutputs(html === undefined ? [] : [html]);
  try {
    const name = backendOption(args);
    const threads = threadsOption(args, name);
    const open = await openBackend(name, { threads });
    let profile: PassProfile;
    let unfused: PassProfile | undefined;
    let comparison: InferenceComparison | undefined;
    try {
      const what = `a ${options.train ? 'training step' : 'pass'} of batch ${options.batch} x ${options.frames} frames`;
      expectFitsBackend(open, largestTensorBytes(EMODB_CONFIG, options.batch, options.frames), what, 'lower --batch or --frames');
      if (compare) expectFusedKernels(open.backend);
      const params = initParams(open.backend, EMODB_CONFIG, options.seed);
      unfused = compare ? await profileOn(open, backendLabel(name, threads), params, { ...options, unfused: true }) : undefined;
      profile = await profileOn(open, backendLabel(name, threads), params, options);
      comparison = compare ? await compareInference(open, EMODB_CONFIG, params, options, Math.max(COMPARE_ROUNDS, options.repeats)) : undefined;
    } finally {
      open.close();
    }
    if (args.values.json === true) io.out(JSON.stringify(unfused === undefined ? profile : { ...profile, unfused, comparison }, null, 2));
    else for (const line of [...profileLines(profile), ...(unfused === undefined ? [] : comparisonLines(unfused, profile, comparison!))]) io.out(line);
    if (html !== undefined) {
      writeOutputFile(html, renderOpsReportHtml(profile));
      io.out(`wrote ${html}`);
    }
  } finally {
    outputs.release();
  }
}

/** The webgpu backend's dispatches replayed one by one; elsewhere each kernel call timed as it runs. */
function profileOn(open: OpenBackend, label: string, params: ParamStore, options: ProfileOptions): Promise<PassProfile> {
  if (open.tensors !== undefined) return profileNetwork(open, EMODB_CONFIG, params, options);
  return profileNetworkCalls(open, EMODB_CONFIG, params, options, `${label} on ${cpus()[0]?.model.trim() ?? 'this CPU'}`);
}

/** 'wasm backend, 2 threads', 'reference backend'. */
function backendLabel(name: BackendName, threads: number | undefined): string {
  return threads === undefined ? `${name} backend` : `${name} backend, ${threadWords(threads)}`;
}

/** --compare: whole-pass rounds of the unfused and the fused forward, alternated (medians): `compareInference`. */
const COMPARE_ROUNDS = 15;

/** --compare: the unfused and the fused pass of one run side by side. */
function comparisonLines(unfused: PassProfile, fused: PassProfile, times: InferenceComparison): string[] {
  const calls = isWebGpuProfile(fused) ? 'dispatches' : 'calls';
  const row = (p: PassProfile, ms: number) => `${p.pass.padEnd(28)} ${String(p.rows.length).padStart(10)} ${ms.toFixed(1).padStart(9)}`;
  return [
    '',
    `${'compared in this run'.padEnd(28)} ${calls.padStart(10)} ${'ms'.padStart(9)}   (whole pass, median of ${times.rounds} alternated rounds)`,
    row(unfused, times.unfusedMs),
    row(fused, times.fusedMs),
    `fused is ${(times.unfusedMs / times.fusedMs).toFixed(2)}x faster, ${unfused.rows.length - fused.rows.length} fewer ${calls}`,
  ];
}

function profileLines(p: PassProfile): string[] {
  const rate = (num: number, ms: number) => (ms > 0 ? (num / ms / 1e6).toFixed(2) : '-');
  const lines = [
    `${p.pass}, B=${p.batch}, T=${p.frames} on ${p.adapter}`,
    ...(isWebGpuProfile(p)
      ? [
          `whole pass as one command buffer: ${p.stepMs.toFixed(1)} ms (median)`,
          `storage buffers the pass needs: ${(p.poolBytes / 1e6).toFixed(1)} MB (parameters included)`,
          `per dispatch: ${p.timing} (${p.overheadMs.toFixed(3)} ms)`,
        ]
      : [`whole pass: ${p.stepMs.toFixed(1)} ms (median)`, `per kernel call: ${p.timing}`]),
    '',
    `${'#'.padStart(4)}  ${'kernel'.padEnd(36)} ${'ms'.padStart(8)} ${'MFLOP'.padStart(9)} ${'MB'.padStart(8)} ${'GFLOP/s'.padStart(8)} ${'GB/s'.padStart(6)}  ${'workgroups'.padEnd(11)} shapes`,
  ];
  for (const r of p.rows) {
    lines.push(
      `${String(r.index).padStart(4)}  ${r.label.padEnd(36)} ${r.ms.toFixed(3).padStart(8)} ${(r.flops / 1e6).toFixed(2).padStart(9)} ${(r.bytes / 1e6).toFixed(2).padStart(8)} ` +
        `${rate(r.flops, r.ms).padStart(8)} ${rate(r.bytes, r.ms).padStart(6)}  ${(isDispatchRow(r) ? r.workgroups.join('x') : '-').padEnd(11)} ${r.shapes}`,
    );
  }
  lines.push('', `${'family'.padEnd(24)} ${'calls'.padStart(5)} ${'ms'.padStart(9)} ${'GFLOP'.padStart(8)} ${'MB'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'GB/s'.padStart(6)}`);
  for (const f of p.families) {
    lines.push(
      `${f.family.padEnd(24)} ${String(f.calls).padStart(5)} ${f.ms.toFixed(2).padStart(9)} ${(f.flops / 1e9).toFixed(3).padStart(8)} ${(f.bytes / 1e6).toFixed(1).padStart(9)} ${rate(f.flops, f.ms).padStart(8)} ${rate(f.bytes, f.ms).padStart(6)}`,
    );
  }
  const total = p.families.reduce((s, f) => ({ ms: s.ms + f.ms, flops: s.flops + f.flops }), { ms: 0, flops: 0 });
  lines.push(`${'total'.padEnd(24)} ${String(p.rows.length).padStart(5)} ${total.ms.toFixed(2).padStart(9)} ${(total.flops / 1e9).toFixed(3).padStart(8)}`);
  return lines;
}
