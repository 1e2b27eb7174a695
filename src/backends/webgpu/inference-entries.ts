/**
 * The WGSL entry points the browser bundle inlines, by family (scripts/web/build.ts prunes each shaders/<family>.wgsl
 * to these). A page runs models through the fused inference forward (src/model/msse-fused.ts: the fused families
 * plus dense for the head), so the unfused inference families stay out of the bundle: on WebGPU they are Node's
 * check of the fused path (test/model/msse-fused.test.ts), and the bundle stays within its budget.
 * test/web/inference-shaders.test.ts runs the shipped model on shaders pruned this way, so an entry missing here
 * fails there, not in a page.
 */
export const INFERENCE_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  dense: ['forward', 'tileWeights', 'forwardSingle'],
  'direction-dense': ['forward'],
  'se-gate': ['squeeze', 'forward'],
  'tab-inference': ['first', 'second', 'pool'],
  'tf-path': ['squeeze', 'collapse'],
};

/**
 * The entry points the unfused inference kernels dispatch, which the bundle leaves out (above): their host code is
 * in the bundle (createWebGpuInference has both), a page never calls it. Not training entries (test/web/bundle.test.ts).
 */
export const UNFUSED_INFERENCE_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  add: ['forward', 'forwardTail'],
  'batch-norm': ['normalize', 'normalizeTail'],
  concat: ['forward'],
  'conv1d-causal': ['packWeights', 'forward'],
  conv2d: ['forward'],
  mul: ['forward', 'forwardVec4', 'product', 'productTail'],
  'reduce-sum': ['forward', 'forwardVec4'],
  relu: ['forward', 'forwardTail'],
  'reverse-time': ['forward'],
  sigmoid: ['forward', 'forwardTail'],
  'weighted-sum': ['forward'],
};
