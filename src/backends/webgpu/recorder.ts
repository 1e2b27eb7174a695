import type { Shape } from '../../runtime/tensor.ts';
import type { GpuContext } from './device.ts';

/** One recorded dispatch, as `msse inspect --ops` lists it. */
export interface DispatchRecord {
  /** `family.entry`, the pipeline label. */
  readonly label: string;
  readonly workgroups: readonly [x: number, y: number];
  readonly invocations: number;
  /** Shapes of the bound tensors in binding order (inputs, then outputs); empty when bound as raw buffers. */
  readonly shapes: readonly Shape[];
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
}

/**
 * Encodes every dispatch of a step into one command buffer: dispatches go into one open compute pass (WebGPU orders
 * them and makes each see the previous one's writes), and the buffer is submitted only when someone needs the
 * results (`flush`: before a read-back, an upload, or returning buffers to the pool). One submit per step instead of
 * one per dispatch keeps llvmpipe's per-submit overhead out of the kernel time.
 */
export class CommandRecorder {
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  #pending = 0;
  #submits = 0;
  /** Receives every dispatch while set (for `msse inspect --ops`). */
  listener: ((record: DispatchRecord) => void) | undefined;

  constructor(private readonly gpu: GpuContext) {}

  /** Records one dispatch into the open compute pass. */
  dispatch(record: DispatchRecord): void {
    if (this.#pass === undefined) {
      this.#encoder = this.gpu.device.createCommandEncoder({ label: 'msse step' });
      this.#pass = this.#encoder.beginComputePass({ label: 'msse step' });
    }
    this.#pass.setPipeline(record.pipeline);
    this.#pass.setBindGroup(0, record.bindGroup);
    this.#pass.dispatchWorkgroups(record.workgroups[0], record.workgroups[1]);
    this.#pending++;
    this.listener?.(record);
  }

  /** Submits what was recorded; later queue operations (writeBuffer, read-back copies) run after it. */
  flush(): void {
    if (this.#pass === undefined) return;
    this.#pass.end();
    const commands = this.#encoder!.finish();
    this.#pass = undefined;
    this.#encoder = undefined;
    this.#pending = 0;
    this.#submits++;
    this.gpu.device.queue.submit([commands]);
  }

  /** Dispatches recorded and not yet submitted. */
  get pending(): number {
    return this.#pending;
  }

  /** Command buffers submitted so far (a test checks a whole step is one). */
  get submits(): number {
    return this.#submits;
  }
}
