import { describe, expect, test } from 'vitest';
import { splitRange } from '../../../src/backends/wasm/tensors.ts';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { InternalError, MsseError } from '../../../src/errors.ts';
import type { NetworkExports } from '../../../src/backends/wasm/exports.ts';
import { openWasmTensors } from '../../../src/backends/wasm/open.ts';
import { nodeWorkers } from '../../../src/platform/node/workers.ts';
import type { WorkerPlatform } from '../../../src/backends/wasm/threads.ts';
import { repoRoot } from '../../support/paths.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('splitRange: contiguous ranges of whole grains, one per thread at most', () => {
  test.each([
    [10, 1, 1, [[0, 10]]],
    [10, 2, 1, [[0, 5], [5, 10]]],
    [7, 3, 1, [[0, 2], [2, 4], [4, 7]]],
    [1, 4, 1, [[0, 1]]],
    [2, 4, 1, [[0, 1], [1, 2]]],
    [100, 2, 64, [[0, 64], [64, 100]]],
    [63, 2, 64, [[0, 63]]],
    [300, 4, 64, [[0, 64], [64, 128], [128, 192], [192, 300]]],
  ] as const)('count %i, %i threads, grain %i', (count, parts, grain, expected) => {
    expect(splitRange(count, parts, grain)).toEqual(expected);
  });
});

/** Ids of a wasm binary's sections, in order (each: id byte, LEB128 size, payload). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < bytes.length; ) {
    ids.push(bytes[at++]!);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

describe('the wasm backend on worker threads', () => {
  // Every thread's instance shares one memory, so a kernel's static data would be shared too: a race (gemm.ts once
  // kept its row pointers there). The kernels keep their state in locals and the host's scratch blocks only.
  // (network-train.wasm holds AssemblyScript's read-only Math tables, the same bytes for every instance.)
  test.each(['network.wasm', 'network-mt.wasm'])('%s has no data segment (no static memory to share)', (file) => {
    const ids = sectionIds(readFileSync(join(repoRoot, 'build', file)));
    expect(ids).toContain(10); // the code section: the parse walked the module
    expect(ids).not.toContain(11);
  });

  test('ranges run on the threads that claim them; a kernel that traps fails the call in one line naming it and its range', async () => {
    const w = await openWasmTensors<NetworkExports>(readFileSync(join(repoRoot, 'build', 'network-mt.wasm')), { threads: { count: 2, platform: nodeWorkers } });
    const x = w.upload(new Float32Array(8), [8], 'x');
    // fillF32 over two ranges: the worker's half is written through the shared memory.
    w.parallel('fillF32', 8, () => 0, (lo, hi) => [w.at(x, lo), hi - lo, lo + 1]);
    expect(Array.from(w.read(x))).toEqual([1, 1, 1, 1, 5, 5, 5, 5]);
    // Range 2 writes past the end of the 4 GiB address space: a trap, on whichever thread claimed it.
    const call = () => w.parallel('fillF32', 2, () => 0, (lo) => (lo === 0 ? [w.ptr(x), 1, 0] : [0xffff_ff00, 1024, 0]));
    expect(call).toThrowError(InternalError);
    expect(call).toThrowError('wasm backend: kernel fillF32 failed on range 2 of 2');
    // The pool still serves calls after a failure.
    w.parallel('fillF32', 8, () => 0, (lo, hi) => [w.at(x, lo), hi - lo, 2]);
    expect(Array.from(w.read(x))).toEqual(new Array(8).fill(2));
    w.threads?.close();
  });

  test('no range waits for a thread: with a worker that never serves, this thread runs every range', async () => {
    // The worker answers 'ready' and then ignores the pool, as one that is descheduled for the whole job would.
    const absent: WorkerPlatform = {
      ...nodeWorkers,
      start: () => nodeWorkers.start("const { parentPort } = require('node:worker_threads'); parentPort.once('message', () => parentPort.postMessage('ready'));"),
    };
    const w = await openWasmTensors<NetworkExports>(readFileSync(join(repoRoot, 'build', 'network-mt.wasm')), { threads: { count: 2, platform: absent } });
    const x = w.upload(new Float32Array(8), [8], 'x');
    for (let job = 1; job <= 3; job++) {
      w.parallel('fillF32', 8, () => 0, (lo, hi) => [w.at(x, lo), hi - lo, job * 10 + lo]);
      expect(Array.from(w.read(x))).toEqual([0, 0, 0, 0, 4, 4, 4, 4].map((lo) => job * 10 + lo));
    }
    w.threads?.close();
  });

  test.each([0, 17, 1.5])('threads %s is refused in one line', async (threads) => {
    await expect(openWasmInference({ threads })).rejects.toThrowError(MsseError);
    await expect(openWasmInference({ threads })).rejects.toThrowError(/threads must be a whole number from 1 to 16/);
  });
});
