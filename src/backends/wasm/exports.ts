/**
 * The raw exports of build/network.wasm (kernels/network/, one module per op family; each documents its formula,
 * the memory it reads and writes, and its work split). Addresses are byte offsets into the module's memory;
 * counts are elements. `…ScratchBytes` give the scratch block a kernel needs for given sizes, so the sizes are
 * defined once, in the kernel module.
 */
export interface NetworkExports {
  readonly memory: WebAssembly.Memory;
  readonly PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
  heapBase(): number;
  fillF32(ptr: number, n: number, value: number): void;
  addForward(a: number, b: number, y: number, n: number): void;
  batchNormScratchBytes(chans: number): number;
  batchNormForwardInference(
    x: number, gamma: number, beta: number, mean: number, variance: number, y: number, scratch: number,
    rows: number, chans: number, eps: number,
  ): void;
  concatPart(part: number, y: number, outer: number, width: number, inner: number, total: number, offset: number): void;
  conv1dCausalScratchBytes(cout: number, cin: number, taps: number): number;
  conv1dCausalForward(
    x: number, w: number, bias: number, y: number, scratch: number,
    batch: number, time: number, cin: number, cout: number, taps: number, dilation: number,
  ): void;
  conv2dScratchBytes(batch: number, time: number, freq: number, chans: number, kh: number, kw: number): number;
  conv2dForward(
    x: number, w: number, bias: number, y: number, scratch: number,
    batch: number, time: number, freq: number, chans: number, kh: number, kw: number,
  ): void;
  denseScratchBytes(cout: number, cin: number): number;
  denseForward(x: number, w: number, b: number, y: number, scratch: number, rows: number, cin: number, cout: number): void;
  denseForwardPerSample(x: number, w: number, b: number, y: number, batch: number, mid: number, cin: number): void;
  mulForward(a: number, b: number, y: number, n: number): void;
  mulForwardBroadcast(a: number, g: number, y: number, batch: number, mid: number, chans: number): void;
  reduceSumScratchBytes(inner: number): number;
  reduceSumForward(x: number, y: number, scratch: number, outer: number, mid: number, inner: number, scale: number): void;
  reluForward(x: number, y: number, n: number): void;
  reverseTimeForward(x: number, y: number, batch: number, time: number, row: number): void;
  sigmoidForward(x: number, y: number, n: number): void;
  weightedSumForward(g: number, w: number, z: number, batch: number, n: number, chans: number): void;
  // The fused inference families (FusedInferenceKernels): items [lo, hi) of the direction-stacked samples (pool:
  // output samples), B the samples per direction.
  tfPathScratchBytes(time: number, freq: number, chans: number, kh0: number, kw0: number, kh1: number, kw1: number, kh2: number, kw2: number): number;
  tfPathForward(
    x: number, w: number, bias: number, fc1w: number, fc1b: number, fc2w: number, fc2b: number, w1x1: number, gateBias: number,
    cat: number, scratch: number, lo: number, hi: number,
    batch: number, time: number, freq: number, chans: number, kh0: number, kw0: number, kh1: number, kw1: number, kh2: number, kw2: number,
  ): void;
  directionDenseForward(x: number, w: number, b: number, y: number, lo: number, hi: number, batch: number, rows: number, cin: number, cout: number): void;
  tabInferenceFirst(h: number, w: number, b: number, a: number, lo: number, hi: number, batch: number, time: number, chans: number, taps: number, dilation: number): void;
  tabInferenceSecond(
    a: number, w: number, b: number, h: number, out: number, stack: number, lo: number, hi: number,
    batch: number, time: number, chans: number, taps: number, dilation: number, block: number,
  ): void;
  tabInferencePool(stack: number, wsum: number, z: number, lo: number, hi: number, batch: number, time: number, chans: number, blocks: number): void;
  /** 12 chains of f32x4 multiply-then-add, `iterations` times (kernels/network/peak.ts). */
  simdPeak(iterations: number): number;
}

/**
 * The raw exports of build/network-train.wasm (entry kernels/network/training.ts): every export of build/network.wasm
 * plus the training entries of each family module (its header gives formula, regions and work split).
 */
export interface NetworkTrainingExports extends NetworkExports {
  // The part sums (kernels/network/accumulate.ts): a reduction's parts [lo, hi) each write a row of partials; sumParts
  // adds them in part order (f64) into the outputs of row elements [lo, hi).
  chunkCount(rows: number): number;
  partialsBytes(parts: number, n: number): number;
  sumPartsScratchBytes(outputs: number): number;
  sumParts(partials: number, out: number, scratch: number, lo: number, hi: number, groupParts: number, n: number, taps: number, scale: number): void;
  reduceSumParts(x: number, partials: number, scratch: number, lo: number, hi: number, mid: number, inner: number): void;
  reduceSumBackward(dy: number, addend: number, dx: number, lo: number, hi: number, mid: number, inner: number, scale: number, hasAddend: number): void;
  reluBackward(dy: number, y: number, dx: number, n: number): void;
  sigmoidBackward(dy: number, y: number, dx: number, n: number): void;
  mulBackwardScratchBytes(chans: number): number;
  mulBackwardBBroadcast(dy: number, a: number, db: number, scratch: number, batch: number, mid: number, chans: number): void;
  concatSlice(x: number, y: number, outer: number, size: number, inner: number, start: number, width: number): void;
  weightedSumBackwardInput(dz: number, w: number, dg: number, batch: number, n: number, chans: number): void;
  weightedSumBackwardWeight(dz: number, g: number, dw: number, batch: number, n: number, chans: number): void;
  denseBackwardInputScratchBytes(cout: number, cin: number): number;
  denseBackwardInput(dy: number, w: number, dx: number, scratch: number, rows: number, cin: number, cout: number): void;
  denseBackwardWeightParts(dy: number, x: number, partials: number, lo: number, hi: number, rows: number, cin: number, cout: number): void;
  denseBackwardInputPerSample(dy: number, w: number, dx: number, batch: number, mid: number, cin: number): void;
  denseBackwardWeightPerSample(dy: number, x: number, dw: number, batch: number, mid: number, cin: number): void;
  conv1dCausalBackwardInputScratchBytes(cout: number, cin: number, taps: number): number;
  conv1dCausalBackwardInput(
    dy: number, w: number, dx: number, scratch: number,
    batch: number, time: number, cin: number, cout: number, taps: number, dilation: number,
  ): void;
  conv1dCausalBackwardWeightScratchBytes(cout: number, cin: number, taps: number, time: number): number;
  conv1dCausalBackwardWeightParts(
    dy: number, x: number, partials: number, scratch: number,
    lo: number, hi: number, time: number, cin: number, cout: number, taps: number, dilation: number,
  ): void;
  conv2dBackwardInputScratchBytes(chans: number, kh: number, kw: number): number;
  conv2dBackwardInput(
    dy: number, w: number, dx: number, scratch: number,
    batch: number, time: number, freq: number, chans: number, kh: number, kw: number,
  ): void;
  conv2dBackwardWeightScratchBytes(chans: number, kh: number, kw: number, time: number, freq: number): number;
  conv2dBackwardWeightParts(
    dy: number, x: number, partials: number, scratch: number,
    lo: number, hi: number, time: number, freq: number, chans: number, kh: number, kw: number,
  ): void;
  batchNormMomentParts(x: number, mean: number, partials: number, lo: number, hi: number, rows: number, chans: number, centred: number): void;
  batchNormBackwardPartWidth(chans: number): number;
  batchNormBackwardScratchBytes(chans: number): number;
  batchNormBackwardParts(
    dy: number, x: number, mean: number, variance: number, partials: number, scratch: number,
    lo: number, hi: number, rows: number, chans: number, eps: number,
  ): void;
  batchNormFactorBytes(chans: number): number;
  batchNormBackwardFactors(
    partials: number, parts: number, gamma: number, variance: number, factors: number, dgamma: number, dbeta: number,
    rows: number, chans: number, eps: number,
  ): void;
  batchNormBackwardInput(dy: number, x: number, mean: number, factors: number, dx: number, lo: number, hi: number, chans: number): void;
  batchNormTailScratchBytes(chans: number): number;
  batchNormNormalizeTail(
    x: number, gamma: number, beta: number, mean: number, variance: number, y: number, scratch: number,
    lo: number, hi: number, mid: number, chans: number, eps: number, seed: number, stream: number, step: number, keepBelow: number, scale: number,
  ): void;
  batchNormUpdateRunning(runningMean: number, runningVar: number, mean: number, variance: number, chans: number, momentum: number, varianceScale: number): void;
  spatialDropoutScratchBytes(chans: number): number;
  spatialDropoutForward(
    x: number, y: number, scratch: number, lo: number, hi: number, mid: number, chans: number,
    seed: number, stream: number, step: number, keepBelow: number, scale: number, relu: number,
  ): void;
  spatialDropoutReluBackward(dy: number, y: number, dx: number, n: number, scale: number): void;
  softmaxCrossEntropyForward(logits: number, target: number, loss: number, probs: number, batch: number, classes: number): void;
  softmaxCrossEntropyBackward(dloss: number, probs: number, target: number, dlogits: number, batch: number, classes: number): void;
  adamStep(param: number, grad: number, m: number, v: number, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void;
  /** src/runtime/random.ts's counterHash (kernels/network/random.ts); u32 bits, read back as a signed i32. */
  counterHash(seed: number, stream: number, step: number, i: number, j: number): number;
}

/** Pages of linear memory a network module may grow to: WebAssembly's 4 GiB (shared memories must declare one). */
export const MAXIMUM_PAGES = 65_536;

/**
 * A compiled network module and the memory its instances share. Every build imports its memory ('env.memory'):
 * network.wasm a plain one, network-mt.wasm and network-train.wasm a shared one (threads; asconfig.json), which
 * `shared` must match.
 */
export interface NetworkModule {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

/** Compiles a network build's bytes and makes the memory its instances will share. */
export async function compileNetwork(wasmBytes: Uint8Array, shared: boolean): Promise<NetworkModule> {
  const module = await WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
  return { module, memory: new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared }) };
}

/**
 * Instantiates a compiled network module on its memory (build/network.wasm's exports, or
 * build/network-train.wasm's with K = NetworkTrainingExports). The module imports nothing else.
 */
export async function instantiateNetwork<K extends NetworkExports = NetworkExports>({ module, memory }: NetworkModule): Promise<K> {
  // instantiate(module) returns the Instance alone (as src/audio/mfcc-wasm.ts).
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as K;
}
