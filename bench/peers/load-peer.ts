/**
 * The peers `msse bench` compares against are devDependencies: present in a clone after `npm ci`, absent where msse
 * was installed from the registry. They are imported here, at run time, by a name the bundler does not follow (the
 * CLI bundle holds none of their code), and a missing one is one line saying what to do.
 */
import type * as Ort from 'onnxruntime-web';
import type * as Tf from '@tensorflow/tfjs-core';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { MsseError } from '../../src/errors.ts';

/** The peer packages, by the name `msse bench` reports them under. */
export interface PeerModules {
  readonly 'onnxruntime-web': typeof Ort;
  readonly '@tensorflow/tfjs-core': typeof Tf;
  readonly '@tensorflow/tfjs-backend-wasm': typeof TfWasm;
}
export type PeerPackage = keyof PeerModules;

/**
 * Imports a peer package from the project's node_modules.
 * @throws MsseError naming the package when it is not installed
 */
export async function importPeer<P extends PeerPackage>(name: P): Promise<PeerModules[P]> {
  const specifier: string = name; // a variable: esbuild leaves import() of a non-literal alone
  try {
    return (await import(specifier)) as PeerModules[P];
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new MsseError(`bench: peer ${name} is not installed; it is a devDependency of msse: run \`npm ci\` in a clone of the repository, or pass --no-peers`, {
      cause: error,
    });
  }
}
