#!/usr/bin/env node
// Runs one benchmark suite: `node bench/run.mjs mfcc` bundles bench/mfcc.bench.ts with esbuild (Node 20 cannot run
// TypeScript itself) into .cache/bench/ and executes it. Packages stay external, so peers load from node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.EGL_PLATFORM ??= 'surfaceless'; // Dawn on Mesa GLES (runbook pitfall 3)
const root = fileURLToPath(new URL('..', import.meta.url));
const [suite, ...rest] = process.argv.slice(2);
const entry = `${root}bench/${suite}.bench.ts`;
if (suite === undefined || !existsSync(entry)) {
  console.error(`usage: node bench/run.mjs <suite> [args]   (suite = a bench/<suite>.bench.ts file)`);
  process.exit(2);
}
const outfile = `${root}.cache/bench/${suite}.mjs`;
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
process.argv = [process.argv[0], outfile, ...rest];
await import(pathToFileURL(outfile).href);
