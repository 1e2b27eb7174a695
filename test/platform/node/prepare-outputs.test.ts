import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OutputError } from '../../../src/errors.ts';
import { prepareOutputs } from '../../../src/platform/node/prepare-outputs.ts';
import { thrown } from '../../support/thrown.ts';

const folder = (): string => mkdtempSync(join(tmpdir(), 'msse-prepare-'));

/** The id of a process that has ended: a killed msse's. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('prepareOutputs: an output that is one of the inputs is refused before any work', () => {
  const dir = folder();
  const input = join(dir, 'in.wav');
  writeFileSync(input, 'RIFF');
  symlinkSync('in.wav', join(dir, 'alias.wav'));
  linkSync(input, join(dir, 'hard.wav'));

  test.each([
    ['the same path', input],
    ['a ./ spelling', `${dir}/./in.wav`],
    ['a symbolic link to it', join(dir, 'alias.wav')],
    ['a hard link to it', join(dir, 'hard.wav')],
  ])('%s', (_, output) => {
    expect(thrown(OutputError, () => prepareOutputs([output], { inputs: [input] })).line).toBe(
      `${output}: refusing to overwrite an input (${input}); choose another output path`,
    );
    expect(readFileSync(input, 'utf8')).toBe('RIFF');
  });

  test('another name in the same folder is allowed, and its lock is released', () => {
    const outputs = prepareOutputs([join(dir, 'model.safetensors')], { inputs: [input] });
    expect(existsSync(join(dir, '.model.safetensors.lock'))).toBe(true);
    outputs.release();
    expect(readdirSync(dir).sort()).toEqual(['alias.wav', 'hard.wav', 'in.wav']);
  });
});

describe('prepareOutputs: the outputs themselves', () => {
  test('the same output twice is refused', () => {
    const dir = folder();
    const path = join(dir, 'a.json');
    expect(thrown(OutputError, () => prepareOutputs([path, `${dir}/./a.json`])).line).toBe(
      `${dir}/./a.json: the output is given twice (also as ${path}); each output needs its own path`,
    );
  });

  test('a folder is refused, a missing folder that can be created is not', () => {
    const dir = folder();
    expect(thrown(OutputError, () => prepareOutputs([dir])).line).toBe(
      `${dir}: the output is a folder; expected a file path (or a character device or FIFO, written through)`,
    );
    prepareOutputs([join(dir, 'new', 'deeper', 'model.safetensors')]).release();
    expect(readdirSync(join(dir, 'new', 'deeper'))).toEqual([]);
  });

  test('a folder that cannot be created (a file is in the way) is refused', () => {
    const dir = folder();
    writeFileSync(join(dir, 'plain'), '');
    const path = join(dir, 'plain', 'sub', 'out.f32');
    expect(thrown(OutputError, () => prepareOutputs([path])).line).toBe(
      `${path}: cannot examine the output: a part of the path is not a folder (ENOTDIR)`,
    );
  });

  test('devices are written through: neither locked nor compared with the inputs', () => {
    prepareOutputs(['/dev/null'], { inputs: ['/dev/null'] }).release();
  });
});

describe('prepareOutputs: the lock beside each output', () => {
  test('a live process’s lock refuses with a line naming it; released, the output can be taken', async () => {
    const dir = folder();
    const path = join(dir, 'model.safetensors');
    const lock = join(dir, '.model.safetensors.lock');
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, `${holder.pid}\n`);
      expect(thrown(OutputError, () => prepareOutputs([path])).line).toBe(
        `${path}: another msse (process ${holder.pid}) is writing this output; wait for it to finish or stop it (lock ${lock})`,
      );
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.on('exit', resolve));
    }
    const outputs = prepareOutputs([path]);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    outputs.release();
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock whose process is gone, or that holds no process id, is taken over', () => {
    const dir = folder();
    const path = join(dir, 'report.json');
    const lock = join(dir, '.report.json.lock');
    for (const content of [`${deadPid()}\n`, '']) {
      writeFileSync(lock, content);
      const outputs = prepareOutputs([path]);
      expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
      outputs.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  test('a second prepare of the same output in one process is refused; after release it is allowed', () => {
    const dir = folder();
    const path = join(dir, 'out.f32');
    const first = prepareOutputs([path]);
    expect(thrown(OutputError, () => prepareOutputs([path])).line).toBe(`${path}: the output is given twice; each output needs its own path`);
    first.release();
    prepareOutputs([path]).release();
  });

  test('a refused output releases the locks already taken', () => {
    const dir = folder();
    const taken = prepareOutputs([join(dir, 'b.html')]);
    expect(() => prepareOutputs([join(dir, 'a.json'), join(dir, 'b.html')])).toThrow(OutputError);
    expect(existsSync(join(dir, '.a.json.lock'))).toBe(false);
    taken.release();
  });
});
