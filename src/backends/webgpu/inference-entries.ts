/**
 * The WGSL entry points the inference kernels (createWebGpuInference) dispatch, by family: what the browser
 * bundle inlines (scripts/web/build.ts prunes each shaders/<family>.wgsl to these). test/web/inference-shaders.test.ts
 * runs the golden forward on shaders pruned this way, so an entry missing here fails there, not in a page.
 */
export const INFERENCE_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  add: ['forward', 'forwardTail'],
  'batch-norm': ['normalize', 'normalizeTail'],
  concat: ['forward'],
  'conv1d-causal': ['packWeights', 'forward'],
  conv2d: ['forward'],
  dense: ['forward', 'tileWeights', 'forwardSingle'],
  mul: ['forward', 'forwardVec4', 'product', 'productTail'],
  'reduce-sum': ['forward', 'forwardVec4'],
  relu: ['forward', 'forwardTail'],
  'reverse-time': ['forward'],
  sigmoid: ['forward', 'forwardTail'],
  'weighted-sum': ['forward'],
};
