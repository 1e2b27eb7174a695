import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFERENCE_ENTRIES } from '../../src/backends/webgpu/inference-entries.ts';
import { pruneWgsl } from './wgsl-prune.ts';

/** Family → its shaders/<family>.wgsl pruned to the inference entry points, as the browser bundle inlines it. */
export function inferenceWgsl(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [family, entries] of Object.entries(INFERENCE_ENTRIES)) {
    const file = `shaders/${family}.wgsl`;
    out[family] = pruneWgsl(readFileSync(join(root, file), 'utf8'), entries, file);
  }
  return out;
}
