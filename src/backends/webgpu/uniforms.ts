import type { GpuContext } from './device.ts';
import { BufferUsage } from './gpu-flags.ts';

/**
 * A bound on distinct Params contents kept at once. Training repeats the same shapes every step, so a few hundred
 * entries cover a whole model; past the bound the cache starts over (WebGPU defers freeing a destroyed buffer
 * until submitted work that uses it has finished).
 */
const MAX_ENTRIES = 4096;

/**
 * Uniform buffers holding packed `struct Params`, one per distinct content, written once and never rewritten.
 * A steady training step therefore uploads no uniforms, and dispatches recorded in any order each see their own
 * values.
 */
export class UniformCache {
  readonly #buffers = new Map<string, GPUBuffer>();

  /**
   * `beforeClear` runs before cached buffers are destroyed: it must submit recorded work, since a buffer destroyed
   * while an unsubmitted command buffer uses it fails that submit (Adam's Params change every step, so a long run
   * fills the cache while a step is being recorded).
   */
  constructor(
    private readonly gpu: GpuContext,
    private readonly beforeClear: () => void = () => {},
  ) {}

  /** A uniform buffer holding exactly `words` (from `packParams`). */
  get(words: Uint32Array): GPUBuffer {
    const key = words.join(',');
    let buffer = this.#buffers.get(key);
    if (buffer === undefined) {
      if (this.#buffers.size >= MAX_ENTRIES) this.clear();
      buffer = this.gpu.device.createBuffer({
        label: `Params[${key}]`,
        size: words.byteLength,
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      });
      this.gpu.device.queue.writeBuffer(buffer, 0, words);
      this.#buffers.set(key, buffer);
    }
    return buffer;
  }

  /** Destroys every cached buffer, after `beforeClear` has submitted the work that uses them. */
  clear(): void {
    this.beforeClear();
    for (const buffer of this.#buffers.values()) buffer.destroy();
    this.#buffers.clear();
  }
}
