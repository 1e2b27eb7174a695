import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentTypeFor, startStaticServer, type StaticServer } from '../../src/cli/static-server.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

/**
 * `msse serve`: the static server in-process over a temp folder (status codes, types, isolation headers, what it
 * refuses), then the built CLI end to end. The folder `site/` holds the served files; `secret.txt` and `outside/`
 * beside it are what traversal and symlinks must not reach.
 */
const tmp = mkdtempSync(join(tmpdir(), 'msse-serve-'));
const site = join(tmp, 'site');
const SECRET = 'secret outside the served folder\n';
const WASM = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00); // an empty module: magic + version 1

mkdirSync(join(site, 'sub', 'deep'), { recursive: true });
mkdirSync(join(tmp, 'outside'));
writeFileSync(join(tmp, 'secret.txt'), SECRET);
writeFileSync(join(tmp, 'outside', 'secret.txt'), SECRET);
writeFileSync(join(site, 'index.html'), '<!doctype html><title>msse</title>\n');
writeFileSync(join(site, 'mfcc.wasm'), WASM);
writeFileSync(join(site, 'main.js'), 'export const answer = 42;\n');
writeFileSync(join(site, 'sub', 'index.html'), '<!doctype html><title>sub</title>\n');
writeFileSync(join(site, 'sub', 'deep', 'labels.json'), '["anger","boredom"]\n');
symlinkSync(join(tmp, 'secret.txt'), join(site, 'escape.txt'));
symlinkSync(join(tmp, 'outside'), join(site, 'outlink'));
symlinkSync('main.js', join(site, 'alias.js')); // a link that stays inside is served

interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/**
 * One request with the path sent exactly as given: fetch() would normalise `/../x` and `/%2e%2e/x` away
 * before they reach the server.
 */
function raw(server: StaticServer, path: string, method = 'GET'): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request({ host: server.host, port: server.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('static server (in-process)', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({ root: site, port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  test('port 0 binds a free port and the URL shows it', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  test.each([
    ['/', 200, 'text/html; charset=utf-8'],
    ['/index.html', 200, 'text/html; charset=utf-8'],
    ['/mfcc.wasm', 200, 'application/wasm'],
    ['/main.js', 200, 'text/javascript; charset=utf-8'],
    ['/alias.js', 200, 'text/javascript; charset=utf-8'],
    ['/sub/deep/labels.json', 200, 'application/json; charset=utf-8'],
    ['/sub/deep/labels.json?v=2#top', 200, 'application/json; charset=utf-8'],
    ['/sub/', 200, 'text/html; charset=utf-8'],
    ['/missing.html', 404, 'text/plain; charset=utf-8'],
    ['/sub/deep/', 404, 'text/plain; charset=utf-8'],
  ])('GET %s -> %i %s', async (path, status, type) => {
    const res = await raw(server, path);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(type);
  });

  test('bodies are the files’ bytes, Content-Length included', async () => {
    expect((await raw(server, '/')).body).toBe('<!doctype html><title>msse</title>\n');
    expect((await raw(server, '/sub/')).body).toBe('<!doctype html><title>sub</title>\n');
    const wasm = await fetch(new URL('mfcc.wasm', server.url));
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(WASM);
    expect(wasm.headers.get('content-length')).toBe(String(WASM.length));
  });

  test('every response, errors too, is cross-origin isolated and not cached', async () => {
    for (const path of ['/', '/mfcc.wasm', '/missing.html', '/../package.json']) {
      const { headers } = await raw(server, path);
      expect(headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(headers['cross-origin-embedder-policy'], path).toBe('require-corp');
      expect(headers['cache-control'], path).toBe('no-cache');
    }
  });

  test('HEAD gives GET’s status and headers without a body', async () => {
    const get = await raw(server, '/main.js');
    const head = await raw(server, '/main.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    expect((await raw(server, '/missing.html', 'HEAD')).status).toBe(404);
  });

  test.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('%s is 405 with Allow: GET, HEAD', async (method) => {
    const res = await raw(server, '/index.html', method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  test.each([
    ['/sub', '/sub/'],
    ['/sub?x=1', '/sub/?x=1'],
    ['//sub', '/sub/'], // not `//sub/`, which a browser would read as another host
  ])('folder %s without its trailing slash redirects to %s', async (path, location) => {
    const res = await raw(server, path);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(location);
  });

  test.each([
    '/../package.json',
    '/../secret.txt',
    '/%2e%2e/x',
    '/%2E%2E/secret.txt',
    '/sub/../../secret.txt',
    '/sub/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/./index.html',
  ])('traversal %s is refused (403)', async (path) => {
    const res = await raw(server, path);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain(SECRET);
  });

  test.each(['/escape.txt', '/outlink/secret.txt', '/outlink/'])('symlink escape %s is refused (403)', async (path) => {
    const res = await raw(server, path);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain(SECRET);
  });

  test.each(['/%zz', '/a%00b', 'index.html'])('malformed path %s is 400', async (path) => {
    expect((await raw(server, path)).status).toBe(400);
  });

  test('a port in use is one line naming it', async () => {
    await expect(startStaticServer({ root: site, port: server.port, host: '127.0.0.1' })).rejects.toThrowError(
      `cannot listen on 127.0.0.1:${server.port}: the port is already in use; pick another with --port (0 takes a free one)`,
    );
  });

  test('a missing or non-folder root is one line naming it', async () => {
    const missing = join(tmp, 'nope');
    await expect(startStaticServer({ root: missing, port: 0, host: '127.0.0.1' })).rejects.toThrowError(
      expect.objectContaining({ line: `${missing}: no such folder to serve` }),
    );
    const file = join(site, 'index.html');
    await expect(startStaticServer({ root: file, port: 0, host: '127.0.0.1' })).rejects.toThrowError(
      expect.objectContaining({ line: `${file}: not a folder; msse serve needs a folder` }),
    );
  });
});

describe('content types', () => {
  test.each([
    ['a.html', 'text/html; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.PNG', 'image/png'],
    ['a.wav', 'audio/wav'],
    ['model.safetensors', 'application/octet-stream'],
    ['weights.bin', 'application/octet-stream'],
    ['relu.wgsl', 'text/plain; charset=utf-8'],
    ['no-extension', 'application/octet-stream'],
    ['a.unknown', 'application/octet-stream'],
  ])('%s -> %s', (name, type) => expect(contentTypeFor(name)).toBe(type));
});

describe('msse serve (built CLI)', () => {
  test('prints its URL, serves index.html, stops on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'msse.js'), 'serve', site, '--port', '0'], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c;
        const match = /^msse: serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C stops\)\n/.exec(stdout);
        if (match !== null) done(match[2]!);
      });
      child.on('exit', () => fail(new Error(`msse serve exited before printing its URL: ${stderr}`)));
    });
    try {
      expect(stdout).toMatch(new RegExp(`^msse: serving ${site} at http://127\\.0\\.0\\.1:[1-9]\\d*/ \\(Ctrl-C stops\\)\\n$`));
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await res.text()).toBe('<!doctype html><title>msse</title>\n');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  test('a missing DIR is one line naming it, exit 1', () => {
    const missing = join(tmp, 'no-such-dir');
    const result = runMsse(['serve', missing, '--port', '0']);
    expect(result.stderr).toBe(`msse: ${missing}: no such folder to serve\n`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
  });

  test('a port in use is one line naming it, exit 1', async () => {
    const busy = await startStaticServer({ root: site, port: 0, host: '127.0.0.1' });
    try {
      const result = runMsse(['serve', site, '--port', String(busy.port)]);
      expect(result.stderr).toBe(
        `msse: cannot listen on 127.0.0.1:${busy.port}: the port is already in use; pick another with --port (0 takes a free one)\n`,
      );
      expect(result.status).toBe(1);
    } finally {
      await busy.close();
    }
  });

  test('--port out of range is a usage error (exit 2)', () => {
    const result = runMsse(['serve', site, '--port', '70000']);
    expect(result.stderr).toBe("msse: --port must be an integer <= 65535, got '70000'\n");
    expect(result.status).toBe(2);
  });
});
