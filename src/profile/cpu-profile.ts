import { invariant } from '../errors.ts';
import type { BackendIO } from '../runtime/backend.ts';
import { formatShape } from '../runtime/tensor.ts';
import { timeKernelCalls, type KernelCall } from './cpu-timing.ts';
import { kernelCallCost } from './kernel-call-cost.ts';
import { familyTotals, type KernelRow, type PassProfile, type ProfiledPass } from './ops-profile.ts';

/** Passes run untimed first: V8 compiles wasm in a baseline tier and tiers hot functions up while they run. */
const WARM_UP_PASSES = 2;

/**
 * Runs the pass `passOn` builds on a backend whose kernels run when called (wasm, reference): after warm-up passes,
 * `repeats` passes with every kernel call timed (cpu-timing.ts). One row per call, with its shapes, FLOPs and bytes
 * (kernel-call-cost.ts) and its median time; the whole pass's median wall time, the timed calls' own two
 * performance.now() included (noise beside a kernel). `device` names what ran it. Passes that update parameters in
 * place (training) run several times: profile a throwaway model.
 */
export async function profileCallsPass<B extends BackendIO>(backend: B, passOn: (backend: B) => ProfiledPass, repeats: number, device: string): Promise<PassProfile> {
  const plain = passOn(backend);
  for (let step = 1; step <= WARM_UP_PASSES; step++) {
    await backend.read(plain.record(step));
    backend.releaseTransients();
  }
  let calls: KernelCall[] = [];
  const timed = passOn(timeKernelCalls(backend, (call) => calls.push(call)));
  const passes: KernelCall[][] = [];
  const passMs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    calls = [];
    const started = performance.now();
    await backend.read(timed.record(WARM_UP_PASSES + 1 + r));
    passMs.push(performance.now() - started);
    backend.releaseTransients();
    passes.push(calls);
  }
  const first = passes[0]!;
  invariant(passes.every((p) => p.length === first.length && p.every((call, i) => call.label === first[i]!.label)), 'profile: the timed passes called different kernels');
  const rows = first.map((call, index): KernelRow => ({
    index,
    label: call.label,
    shapes: [...call.inputs, ...call.outputs].map(formatShape).join(' '),
    ...kernelCallCost(call),
    ms: median(passes.map((p) => p[index]!.ms)),
  }));
  return {
    adapter: device,
    pass: plain.name,
    batch: plain.batch,
    frames: plain.frames,
    timing: `wall time of each kernel call (kernels run when called), median of ${repeats} ${repeats === 1 ? 'pass' : 'passes'}`,
    stepMs: median(passMs),
    rows,
    families: familyTotals(rows),
  };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
