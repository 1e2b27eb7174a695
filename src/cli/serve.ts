import { join, resolve } from 'node:path';
import { packageRoot } from '../platform/node/assets.ts';
import { UsageError } from '../errors.ts';
import { integerOption, stringOption, type Command } from './command.ts';
import { startStaticServer } from './static-server.ts';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const MAX_PORT = 65535;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the browser demo (or any folder) over HTTP, cross-origin isolated',
  help: `usage: msse serve [DIR] [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}]

Serves DIR (default: the package's dist/web, the browser bundle and demo page) read-only over HTTP until
Ctrl-C (SIGINT) or SIGTERM. GET and HEAD only; / serves index.html. Every response carries
Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, so the page is
crossOriginIsolated (SharedArrayBuffer for wasm threads), and Cache-Control: no-cache.
Paths that leave DIR, symlinks included, are refused (403).

  --port N      TCP port (default ${DEFAULT_PORT}); 0 takes a free one, and the printed URL shows it
  --host HOST   address to listen on (default ${DEFAULT_HOST}, this machine only)

Prints one line: msse: serving DIR at http://HOST:PORT/ (Ctrl-C stops)`,
  options: { port: { type: 'string' }, host: { type: 'string' } },

  async run(args, io) {
    if (args.positionals.length > 1) {
      throw new UsageError(`serve: expected at most one DIR, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
    }
    const port = integerOption(args, 'port', DEFAULT_PORT, 0);
    if (port > MAX_PORT) throw new UsageError(`--port must be an integer <= ${MAX_PORT}, got '${port}'`);
    const host = stringOption(args, 'host') ?? DEFAULT_HOST;
    const root = resolve(args.positionals[0] ?? join(packageRoot(), 'dist', 'web'));

    const server = await startStaticServer({ root, port, host });
    io.out(`msse: serving ${root} at ${server.url} (Ctrl-C stops)`);
    await untilSignal(['SIGINT', 'SIGTERM']);
    await server.close();
  },
};

/** Resolves at the first of `signals`, which then no longer end the process: the caller shuts down and exits 0. */
function untilSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, stop);
      done(signal);
    };
    for (const s of signals) process.on(s, stop);
  });
}
