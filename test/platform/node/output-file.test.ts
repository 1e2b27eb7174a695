import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OutputError } from '../../../src/errors.ts';
import { writeOutputFile } from '../../../src/platform/node/output-file.ts';
import { thrown } from '../../support/thrown.ts';

const folder = (): string => mkdtempSync(join(tmpdir(), 'msse-output-'));

/** The id of a process that has ended: a killed writer's. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('writeOutputFile', () => {
  test('a new file and a replaced one: the bytes, nothing else left in the folder, the permission bits kept', () => {
    const dir = folder();
    const path = join(dir, 'out.f32');
    writeOutputFile(path, 'first');
    expect(readFileSync(path, 'utf8')).toBe('first');
    chmodSync(path, 0o600);
    writeOutputFile(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['out.f32']);
  });

  test('a missing folder is created', () => {
    const path = join(folder(), 'a', 'b', 'out.json');
    writeOutputFile(path, '{}');
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  test('a symbolic link stays a link; its target (through a chain of links) is replaced', () => {
    const dir = folder();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'model.safetensors'), 'old');
    symlinkSync('real/model.safetensors', join(dir, 'inner'));
    symlinkSync('inner', join(dir, 'outer'));
    writeOutputFile(join(dir, 'outer'), 'new');
    expect(lstatSync(join(dir, 'outer')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'outer'))).toBe('inner');
    expect(lstatSync(join(dir, 'inner')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'model.safetensors'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['model.safetensors']);
  });

  test('a dangling symbolic link: its target is created and the link stays', () => {
    const dir = folder();
    symlinkSync('target.f32', join(dir, 'link'));
    writeOutputFile(join(dir, 'link'), 'x');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.f32'), 'utf8')).toBe('x');
  });

  test('/dev/full is written through: ENOSPC named on the path given, and it stays a device', () => {
    expect(thrown(OutputError, () => writeOutputFile('/dev/full', 'x')).line).toBe('/dev/full: cannot write: no space left on device (ENOSPC)');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  test('/dev/null is written through and stays a device', () => {
    writeOutputFile('/dev/null', 'x');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  test('a FIFO is written through to its reader and stays a FIFO', async () => {
    const dir = folder();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    try {
      const received = new Promise<string>((resolve) => {
        let text = '';
        reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        reader.on('close', () => resolve(text));
      });
      writeOutputFile(fifo, 'through the pipe');
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(readdirSync(dir)).toEqual(['pipe']);
      expect(await received).toBe('through the pipe');
    } finally {
      reader.kill(); // a reader left waiting when the pipe was not written
    }
  });

  test('a folder and a socket are refused with one line naming the path', async () => {
    const dir = folder();
    expect(thrown(OutputError, () => writeOutputFile(dir, 'x')).line).toBe(
      `${dir}: the output is a folder; expected a file path (or a character device or FIFO, written through)`,
    );
    const socket = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(thrown(OutputError, () => writeOutputFile(socket, 'x')).line).toBe(
        `${socket}: the output is a socket; expected a file path (or a character device or FIFO, written through)`,
      );
      expect(lstatSync(socket).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  test('temporaries a killed writer left for this output are removed; a live process’s and other outputs’ are kept', () => {
    const dir = folder();
    const dead = deadPid();
    const stale = join(dir, `.out.f32.${dead}.tmp`);
    const live = join(dir, `.out.f32.${process.ppid}.tmp`);
    const other = join(dir, `.other.f32.${dead}.tmp`);
    for (const file of [stale, live, other]) writeFileSync(file, 'partial');
    writeOutputFile(join(dir, 'out.f32'), 'x');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  test('a path under a file is one line naming the path given', () => {
    const dir = folder();
    writeFileSync(join(dir, 'plain'), '');
    const path = join(dir, 'plain', 'out.f32');
    expect(thrown(OutputError, () => writeOutputFile(path, 'x')).line).toBe(`${path}: cannot examine the output: a part of the path is not a folder (ENOTDIR)`);
  });
});
