import { open, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MsseError } from '../errors.ts';

/**
 * A static file server for the browser bundle (`msse serve`), node:http only. It serves one folder read-only:
 * GET and HEAD, `/` and folders → their index.html, 404 for what is not there, 403 for any path that leaves the
 * folder (`..` segments, raw or percent-encoded, and symlinks whose real path lies outside). Every response is
 * cross-origin isolated (COOP same-origin + COEP require-corp), so pages get SharedArrayBuffer for wasm threads,
 * and `no-cache`, so a rebuilt bundle is picked up on reload. It never prints: the caller reports its URL.
 */

/** Content-Type by lower-case extension; anything else is application/octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.instantiateStreaming rejects any other type
  '.wgsl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.safetensors': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

const DEFAULT_TYPE = 'application/octet-stream';

/** The Content-Type for a file name, from MIME_TYPES. */
export function contentTypeFor(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? DEFAULT_TYPE;
}

/** Sent with every response, errors included. */
const COMMON_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
} as const;

export interface StaticServerOptions {
  /** The folder to serve; must exist. */
  root: string;
  /** TCP port; 0 takes a free one (see `StaticServer.port`). */
  port: number;
  host: string;
}

export interface StaticServer {
  /** The real path of the folder being served. */
  readonly root: string;
  readonly host: string;
  /** The port actually bound (the free one chosen when 0 was asked for). */
  readonly port: number;
  /** `http://HOST:PORT/`, IPv6 hosts in brackets. */
  readonly url: string;
  /** Stops listening and drops open connections (browsers keep them alive). */
  close(): Promise<void>;
}

/** Starts serving `root`; rejects with a one-line MsseError for a missing root or a port that cannot be bound. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = await servedRoot(options.root);
  const server = createServer((req, res) => {
    handle(root, req, res).catch((error: unknown) => {
      // A failure after the headers went out (a read error mid-file) can only cut the connection.
      if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
      else reply(res, req, 500, 'internal error');
    });
  });
  const port = await listen(server, options.port, options.host);
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    root,
    host: options.host,
    port,
    url: `http://${urlHost}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The real path of the folder to serve, or a one-line error naming it. */
async function servedRoot(dir: string): Promise<string> {
  const stats = await stat(dir).catch(() => undefined);
  if (stats === undefined) throw new MsseError('no such folder to serve', { file: dir });
  if (!stats.isDirectory()) throw new MsseError('not a folder; msse serve needs a folder', { file: dir });
  return realpath(dir);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => fail(listenError(error, port, host)));
    server.listen(port, host, () => done((server.address() as AddressInfo).port));
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): MsseError {
  const where = `${host}:${port}`;
  const reason =
    error.code === 'EADDRINUSE' ? 'the port is already in use; pick another with --port (0 takes a free one)'
    : error.code === 'EACCES' ? 'permission denied (ports below 1024 need root)'
    : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'no such address on this machine'
    : (error.code ?? error.message);
  return new MsseError(`cannot listen on ${where}: ${reason}`, { cause: error });
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, req, 405, 'method not allowed; only GET and HEAD', { Allow: 'GET, HEAD' });
    return;
  }
  const segments = pathSegments(req.url ?? '/');
  if (segments === 'bad') return reply(res, req, 400, 'bad request path');
  if (segments === 'outside') return reply(res, req, 403, 'forbidden: outside the served folder');

  const requested = join(root, ...segments);
  const real = await realpath(requested).catch(() => undefined);
  if (real === undefined) return reply(res, req, 404, 'not found');
  if (!isInside(root, real)) return reply(res, req, 403, 'forbidden: outside the served folder');

  const stats = await stat(real);
  if (stats.isDirectory()) {
    // Rebuilt from the checked segments, so `//host/dir` cannot redirect to another origin.
    const url = (req.url ?? '/').split('#')[0]!;
    const queryAt = url.includes('?') ? url.indexOf('?') : url.length;
    if (!url.slice(0, queryAt).endsWith('/')) {
      const location = `/${segments.map(encodeURIComponent).join('/')}/${url.slice(queryAt)}`;
      return reply(res, req, 301, 'moved', { Location: location });
    }
    return sendFile(root, join(real, 'index.html'), 'index.html', req, res);
  }
  return sendFile(root, real, requested, req, res);
}

/**
 * The decoded segments of a request path, or why it is refused: `outside` for any `.`/`..` segment (also
 * percent-encoded; the check runs after decoding) or a segment that decodes to a separator, `bad` for a path
 * that is not origin-form or has malformed percent-escapes or a NUL.
 */
function pathSegments(url: string): string[] | 'bad' | 'outside' {
  const path = url.split(/[?#]/)[0]!;
  if (!path.startsWith('/')) return 'bad';
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'bad';
    }
    if (segment.includes('\0')) return 'bad';
    if (segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\')) return 'outside';
    if (segment !== '') segments.push(segment);
  }
  return segments;
}

/** Streams a regular file found under `root` (its real path checked again when it is a folder's index). */
async function sendFile(root: string, file: string, nameForType: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined) return reply(res, req, 404, 'not found');
  if (!isInside(root, real)) return reply(res, req, 403, 'forbidden: outside the served folder');
  // Checked before open(): opening a FIFO would wait for a writer.
  if (!(await stat(real)).isFile()) return reply(res, req, 404, 'not found');
  const opened = await open(real, 'r');
  try {
    const { size } = await opened.stat();
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentTypeFor(nameForType), 'Content-Length': size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A client that hangs up mid-file rejects the pipeline; handle()'s caller then cuts the connection.
    await pipeline(opened.createReadStream({ autoClose: false }), res);
  } finally {
    await opened.close();
  }
}

/** Whether real path `path` is `root` or lies below it. */
function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function reply(res: ServerResponse, req: IncomingMessage, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = `${status} ${text}\n`;
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
