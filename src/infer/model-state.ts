/**
 * A model's tensors between a backend and the host. Model files and checkpoints store parameters and BatchNorm
 * buffers by golden name; these functions read a ParamStore back to the host and upload host tensors as a
 * ParamStore (every name and shape checked against the config, so a file for another network is a clear error).
 */
import { FormatError } from '../errors.ts';
import type { MsseConfig } from '../model/config.ts';
import { bufferSpecs, paramSpecs, type ParamSpec } from '../model/params.ts';
import type { BackendIO } from '../runtime/backend.ts';
import { ParamStore } from '../runtime/params.ts';
import { formatShape, sameShape, type Shape, type Tensor } from '../runtime/tensor.ts';

/**
 * A tensor on the host in C order: Float64Array from the reference backend (checkpoints keep every bit, so a
 * resumed run equals an uninterrupted one), Float32Array from WebGPU and model files.
 */
export interface HostTensor {
  readonly shape: Shape;
  readonly data: Float32Array | Float64Array;
}

/** A model's state on the host: trainable parameters and BatchNorm running statistics, by golden name. */
export interface HostStore {
  readonly parameters: Map<string, HostTensor>;
  readonly buffers: Map<string, HostTensor>;
}

/** Reads every parameter and buffer of `store` back from the backend, in the store's order. */
export async function readStore(backend: BackendIO, store: ParamStore): Promise<HostStore> {
  const read = async (tensors: ReadonlyMap<string, Tensor>): Promise<Map<string, HostTensor>> => {
    const out = new Map<string, HostTensor>();
    for (const [name, tensor] of tensors) out.set(name, { shape: tensor.shape, data: await backend.read(tensor) });
    return out;
  };
  return { parameters: await read(store.params), buffers: await read(store.buffers) };
}

/**
 * Checks that host tensors are those of an MS-SENet with `config`: exactly the tensors paramSpecs and bufferSpecs
 * name, each with its shape.
 * @throws FormatError naming `file`: a tensor missing, of another shape, or not part of this network
 */
export function checkStoreTensors(config: MsseConfig, host: HostStore, file: string): void {
  const check = (specs: readonly ParamSpec[], tensors: ReadonlyMap<string, HostTensor>) => {
    for (const spec of specs) {
      const tensor = tensors.get(spec.name);
      if (tensor === undefined) throw new FormatError(`tensor "${spec.name}" is missing; expected ${formatShape(spec.shape)} for this config`, { file });
      if (!sameShape(tensor.shape, spec.shape)) {
        throw new FormatError(`tensor "${spec.name}" has shape ${formatShape(tensor.shape)}; expected ${formatShape(spec.shape)} for this config`, { file });
      }
    }
    const known = new Set(specs.map((s) => s.name));
    const extra = [...tensors.keys()].find((name) => !known.has(name));
    if (extra !== undefined) throw new FormatError(`tensor "${extra}" is not part of an MS-SENet with this config`, { file });
  };
  check(paramSpecs(config), host.parameters);
  check(bufferSpecs(config), host.buffers);
}

/**
 * Uploads host tensors as the ParamStore of an MS-SENet with `config` (checked by checkStoreTensors first).
 * @throws FormatError naming `file`: a tensor missing, of another shape, or not part of this network
 */
export function uploadStore(backend: BackendIO, config: MsseConfig, host: HostStore, file: string): ParamStore {
  checkStoreTensors(config, host, file);
  const store = new ParamStore();
  for (const { name } of paramSpecs(config)) {
    const t = host.parameters.get(name)!;
    store.addParam(name, backend.upload(t.data, t.shape, name));
  }
  for (const { name } of bufferSpecs(config)) {
    const t = host.buffers.get(name)!;
    store.addBuffer(name, backend.upload(t.data, t.shape, name));
  }
  return store;
}
