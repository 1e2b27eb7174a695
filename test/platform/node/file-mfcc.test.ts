import { expect, test } from 'vitest';
import { InternalError } from '../../../src/errors.ts';
import { createMfccExtractor, fileMfcc } from '../../../src/platform/node/mfcc.ts';
import { thrown } from '../../support/thrown.ts';
import type { DecodedWav } from '../../../src/audio/wav.ts';

test('an error of the front end that is not an MsseError is one line naming the file being processed', async () => {
  const extractor = await createMfccExtractor();
  const wav: DecodedWav = { samples: new Float32Array(1000), sampleRateHz: 22050, channels: 1, sourceFormat: 'float 32-bit' };
  // A length no option allows (they stop at 1323000): the module's memory cannot be laid out for it.
  const error = thrown(InternalError, () => fileMfcc(extractor, 'speech.wav', wav, 2 ** 31));
  expect(error.line).toMatch(/^speech\.wav: the MFCC front end failed \(RangeError: .+\); this is a bug in msse$/);
  expect(fileMfcc(extractor, 'speech.wav', wav, 22050)).toHaveLength(44 * 39);
});
