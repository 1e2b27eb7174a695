import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { linkEmodb, pickEmodb } from '../support/emodb-subset.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';

/**
 * The output rules (README "Errors") through bin/msse.js: outputs never destroy what msse does not own, and an
 * output problem is one line naming the path given, found before any work.
 */
const root = mkdtempSync(join(tmpdir(), 'msse-outputs-'));
const wav = join(emodbWavDir, '03a01Wa.wav');
const MFCC_BYTES = 188 * 39 * 4;
const bin = join(repoRoot, 'bin', 'msse.js');
const TRAIN_SMALL = ['--length', '8192', '--dilations', '2', '--batch', '4', '--backend', 'reference', '--cache', join(root, 'cache'), '--quiet'];

let folders = 0;
const folder = (): string => {
  const dir = join(root, `case-${++folders}`);
  mkdirSync(dir);
  return dir;
};

/** Runs `sh -c script` in a new user and mount namespace (so it may mount a tmpfs), `$MSSE` the msse command. */
function inMountNamespace(script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('unshare', ['--map-root-user', '--mount', 'sh', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, MSSE: `${process.execPath} ${bin}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('where the bytes go', () => {
  test('/dev/full is written through: ENOSPC on the path given, and it stays a character device', () => {
    const result = runMsse(['mfcc', wav, '-o', '/dev/full']);
    expect(result.stderr).toBe('msse: /dev/full: cannot write: no space left on device (ENOSPC)\n');
    expect(result.status).toBe(1);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  test('a symbolic link given as -o stays a link; its target is written', () => {
    const dir = folder();
    symlinkSync('features/real.f32', join(dir, 'link.f32'));
    mkdirSync(join(dir, 'features'));
    const result = runMsse(['mfcc', wav, '-o', join(dir, 'link.f32')]);
    expect(result.status, result.stderr).toBe(0);
    expect(lstatSync(join(dir, 'link.f32')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.f32'))).toBe('features/real.f32');
    expect(readFileSync(join(dir, 'features', 'real.f32')).byteLength).toBe(MFCC_BYTES);
    expect(readdirSync(dir).sort()).toEqual(['features', 'link.f32']);
  });

  test('a FIFO given as -o is written through to its reader and stays a FIFO', async () => {
    const dir = folder();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('wc', ['-c', fifo]);
    try {
      const counted = new Promise<string>((resolve) => {
        let text = '';
        reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        reader.on('close', () => resolve(text));
      });
      const result = runMsse(['mfcc', wav, '-o', fifo]);
      expect(result.status, result.stderr).toBe(0);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(Number((await counted).trim().split(' ')[0])).toBe(MFCC_BYTES);
    } finally {
      reader.kill(); // a reader left waiting when the pipe was not written
    }
  });
});

describe('inputs are never overwritten', () => {
  test('mfcc IN.wav -o IN.wav, also spelt ./IN.wav or through a link, is refused and the WAV is unchanged', () => {
    const dir = folder();
    const input = join(dir, 'in.wav');
    copyFileSync(wav, input);
    chmodSync(input, 0o644);
    symlinkSync('in.wav', join(dir, 'alias.wav'));
    for (const output of [input, `${dir}/./in.wav`, join(dir, 'alias.wav')]) {
      const result = runMsse(['mfcc', input, '-o', output]);
      expect(result.stderr).toBe(`msse: ${output}: refusing to overwrite an input (${input}); choose another output path\n`);
      expect(result.status).toBe(1);
    }
    expect(readFileSync(input).equals(readFileSync(wav))).toBe(true);
  });

  test('train -o DATA/a-training-file.wav is refused before any work; DATA/model.safetensors is allowed', () => {
    const data = linkEmodb(join(folder(), 'data'), Object.fromEntries(pickEmodb(1).map((n) => [n, n])));
    const victim = join(data, '03a01Wa.wav');
    const refused = runMsse(['train', '--data', data, '-o', victim, '--epochs', '1', ...TRAIN_SMALL]);
    expect(refused.stderr).toBe(`msse: ${victim}: refusing to overwrite an input (${victim}); choose another output path\n`);
    expect(refused.status).toBe(1);
    expect(lstatSync(victim).isSymbolicLink()).toBe(true);
    expect(readFileSync(victim).equals(readFileSync(wav))).toBe(true);

    const model = join(data, 'model.safetensors');
    const allowed = runMsse(['train', '--data', data, '-o', model, '--epochs', '1', ...TRAIN_SMALL]);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(existsSync(model)).toBe(true);
  });

  test('cv --merge A.json -o A.json is refused', () => {
    const dir = folder();
    const part = join(dir, 'part.json');
    copyFileSync(join(repoRoot, 'reports', 'emodb-10fold.json'), part);
    const result = runMsse(['cv', '--merge', part, '-o', part]);
    expect(result.stderr).toBe(`msse: ${part}: refusing to overwrite an input (${part}); choose another output path\n`);
    expect(readFileSync(part).equals(readFileSync(join(repoRoot, 'reports', 'emodb-10fold.json')))).toBe(true);
  });
});

describe('output problems are found before the work, named on the path given', () => {
  const data = linkEmodb(join(root, 'data-2'), Object.fromEntries(pickEmodb(1).map((n) => [n, n])));

  test('train -o EXISTING_FOLDER is refused at start, not after training', () => {
    const dir = folder();
    const cache = join(dir, 'cache');
    const result = runMsse(['train', '--data', data, '-o', dir, '--epochs', '1', ...TRAIN_SMALL, '--cache', cache]);
    expect(result.stderr).toBe(`msse: ${dir}: the output is a folder; expected a file path (or a character device or FIFO, written through)\n`);
    expect(result.status).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a read-only file system (EROFS) names the output, not a temporary file', () => {
    const dir = folder();
    const out = join(dir, 'x.f32');
    const result = inMountNamespace(`mount -t tmpfs -o ro tmpfs ${dir} && exec $MSSE mfcc ${wav} -o ${out}`);
    expect(result.stderr).toBe(`msse: ${out}: cannot write in ${dir}: read-only file system (EROFS)\n`);
    expect(result.status).toBe(1);
  });

  test('a full disk (ENOSPC) names the output and leaves no temporary file', () => {
    const dir = folder();
    const out = join(dir, 'x.f32');
    const result = inMountNamespace(`mount -t tmpfs -o size=8k tmpfs ${dir} && $MSSE mfcc ${wav} -o ${out}; echo "rc $?"; ls -A ${dir}`);
    expect(result.stderr).toBe(`msse: ${out}: cannot write: no space left on device (ENOSPC)\n`);
    expect(result.stdout).toBe('rc 1\n');
  });

  test('a folder msse may not write in (EACCES) is refused at start', () => {
    const dir = folder();
    chmodSync(root, 0o755);
    chmodSync(dir, 0o555);
    const out = join(dir, 'x.f32');
    // root may write anywhere: run as nobody then, as anyone else would meet the refusal.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [bin, 'mfcc', wav, '-o', out], { encoding: 'utf8', cwd: '/', ...asUser });
    expect(result.stderr).toBe(`msse: ${out}: cannot write in ${dir}: permission denied (EACCES)\n`);
    expect(result.status).toBe(1);
  });
});

describe('two processes writing the same output', () => {
  test('the second is refused naming the first; the lock goes when the first ends by SIGTERM or SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dir = folder();
      const model = join(dir, 'model.safetensors');
      const lock = join(dir, '.model.safetensors.lock');
      const args = ['train', '--data', data(), '-o', model, '--epochs', '1000', ...TRAIN_SMALL];
      const first = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
      const ended = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_, s) => resolve(s)));
      try {
        while (!existsSync(lock) && first.exitCode === null) await new Promise((r) => setTimeout(r, 20));
        expect(readFileSync(lock, 'utf8')).toBe(`${first.pid}\n`);

        const second = runMsse(args);
        expect(second.stderr).toBe(
          `msse: ${model}: another msse (process ${first.pid}) is writing this output; wait for it to finish or stop it (lock ${lock})\n`,
        );
        expect(second.status).toBe(1);

        first.kill(signal);
        const stopped = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still running 10 s after the signal'), 10_000))]);
        expect(stopped).toBe(signal);
        expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
      } finally {
        if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
      }
    }
  });

  let dataDir: string | undefined;
  function data(): string {
    dataDir ??= linkEmodb(join(root, 'data-3'), Object.fromEntries(pickEmodb(2).map((n) => [n, n])));
    return dataDir;
  }
});

describe('durable writes', () => {
  test('a report is fsynced before its rename, and its folder after it', () => {
    const dir = folder();
    const out = join(dir, 'all.json');
    const trace = join(dir, 'trace.txt');
    const result = spawnSync(
      'strace',
      ['-f', '-qq', '-e', 'trace=openat,fsync,rename,renameat,renameat2', '-o', trace, process.execPath, bin, 'cv', '--merge', join(repoRoot, 'reports', 'emodb-10fold.json'), '-o', out],
      { encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const calls = readFileSync(trace, 'utf8').split('\n').map((line) => line.replace(/^\d+\s+/, ''));
    const temporary = join(dir, `.all.json.`);
    const open = calls.findIndex((c) => c.startsWith('openat(') && c.includes(temporary) && c.includes('O_EXCL'));
    expect(open).toBeGreaterThanOrEqual(0);
    const fd = /= (\d+)$/.exec(calls[open]!)![1];
    const fsyncFile = calls.findIndex((c, i) => i > open && c.startsWith(`fsync(${fd})`));
    const rename = calls.findIndex((c, i) => i > fsyncFile && /^rename/.test(c) && c.includes(`"${out}"`));
    const openDir = calls.findIndex((c, i) => i > rename && c.startsWith(`openat(AT_FDCWD, "${dir}", O_RDONLY`));
    expect(fsyncFile).toBeGreaterThan(open);
    expect(rename).toBeGreaterThan(fsyncFile);
    expect(openDir).toBeGreaterThan(rename);
    const dirFd = /= (\d+)$/.exec(calls[openDir]!)![1];
    expect(calls.findIndex((c, i) => i > openDir && c.startsWith(`fsync(${dirFd})`))).toBeGreaterThan(openDir);
  });
});
