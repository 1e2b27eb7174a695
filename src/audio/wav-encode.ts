/**
 * WAV encoding, the inverse of decodeWav for one case: mono IEEE float 32-bit, which keeps every sample exactly
 * (what the demo page offers for download of what its microphone heard, so a run can be replayed elsewhere).
 */

const HEADER_BYTES = 44;
const FORMAT_IEEE_FLOAT = 0x0003;

/** A RIFF/WAVE file of `samples` (mono) at `sampleRateHz`, format 3 (IEEE float), 32 bits per sample. */
export function encodeWavFloat32(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const dataBytes = samples.length * 4;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, FORMAT_IEEE_FLOAT, true);
  view.setUint16(22, 1, true); // channels
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * 4, true); // bytes per second
  view.setUint16(32, 4, true); // block align
  view.setUint16(34, 32, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setFloat32(HEADER_BYTES + 4 * i, samples[i]!, true);
  return bytes;
}
