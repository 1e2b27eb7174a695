import { describe, expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { emodbWavDir } from '../support/paths.ts';

/**
 * Numbers outside what the code can handle are refused by the option parser, in one line and before any work:
 * decimal digits only (before, `0x10` read as 16 and `1e3` as 1000), and within a range (before, `--length 1000000`
 * failed minutes later at a device limit, `--epochs` had no bound).
 */
describe('integer options', () => {
  const wav = `${emodbWavDir}/03a01Wa.wav`;
  const train = ['train', '--data', emodbWavDir, '-o', '/tmp/never-written.safetensors'];
  test.each([
    [['mfcc', wav, '-o', '/tmp/x.f32', '--length', '0x10'], "--length must be an integer from 1 to 1323000, got '0x10'"],
    [['mfcc', wav, '-o', '/tmp/x.f32', '--length', '1323001'], "--length must be an integer from 1 to 1323000, got '1323001'"],
    [[...train, '--length', '1000000000'], "--length must be an integer from 1 to 1323000, got '1000000000'"],
    [[...train, '--epochs', '1e3'], "--epochs must be an integer from 1 to 1000000, got '1e3'"],
    [[...train, '--epochs', '1000001'], "--epochs must be an integer from 1 to 1000000, got '1000001'"],
    [[...train, '--batch', ' 4'], "--batch must be an integer from 1 to 65536, got ' 4'"],
    [[...train, '--batch', '+4'], "--batch must be an integer from 1 to 65536, got '+4'"],
    [[...train, '--dilations', '40'], "--dilations must be an integer from 1 to 16, got '40'"],
    [[...train, '--seed', '0x2E'], "--seed must be an integer >= 0, got '0x2E'"],
    [[...train, '--checkpoint-every=-1'], "--checkpoint-every must be an integer from 0 to 1000000, got '-1'"],
    [['cv', '--data', emodbWavDir, '--report', '/tmp/r.json', '--folds', '0x0a'], "--folds must be an integer >= 2, got '0x0a'"],
    [['inspect', '--ops', '--frames', '100000'], "--frames must be an integer from 1 to 2584, got '100000'"],
  ])('%j', (args, message) => {
    const result = runMsse(args);
    expect(result.stderr).toBe(`msse: ${message}\n`);
    expect(result.status).toBe(2);
  });
});
