import { decodeWav, MsseError } from '../browser.ts';
import type { Audio } from '../api/types.ts';
import { sniffSampleRateHz } from './sniff-sample-rate.ts';

/** An audio file as the model takes it: samples (mono, or one array per channel) at their own rate. */
export interface DecodedAudio {
  readonly audio: Audio;
  readonly sampleRateHz: number;
  readonly durationSeconds: number;
  /** For people: `PCM 16-bit WAV, 1 channel, 22050 Hz, decoded by msse`. */
  readonly description: string;
}

/**
 * Decodes a file the user chose. WAV goes through msse's own decoder, exactly as Node reads it, so the page
 * computes what `msse classify` computes. Anything else goes to the browser's decodeAudioData, in an AudioContext
 * at the rate the file's header declares where that can be read and the browser accepts it (the context's
 * default otherwise, which resamples the file once more); each channel is passed on as decoded.
 * @throws MsseError naming the file when it cannot be decoded
 */
export async function decodeAudioFile(file: File): Promise<DecodedAudio> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (isWav(bytes, file.name)) {
    const wav = decodeWav(bytes, file.name);
    const channels = `${wav.channels} channel${wav.channels === 1 ? '' : 's'}`;
    return {
      audio: wav.samples,
      sampleRateHz: wav.sampleRateHz,
      durationSeconds: wav.samples.length / wav.sampleRateHz,
      description: `${wav.sourceFormat} WAV, ${channels}, ${wav.sampleRateHz} Hz, decoded by msse`,
    };
  }
  const declaredRateHz = sniffSampleRateHz(bytes);
  const context = audioContextAt(declaredRateHz);
  try {
    const buffer = await context.decodeAudioData(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const audio = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
    const channels = `${buffer.numberOfChannels} channel${buffer.numberOfChannels === 1 ? '' : 's'}`;
    const resampled =
      declaredRateHz === undefined ? " (the browser's rate; the file's own was not read)"
      : declaredRateHz === buffer.sampleRate ? ''
      : ` (resampled by the browser from ${declaredRateHz} Hz)`;
    return {
      audio,
      sampleRateHz: buffer.sampleRate,
      durationSeconds: buffer.duration,
      description: `${file.type || 'audio'}, ${channels}, ${buffer.sampleRate} Hz${resampled}, decoded by the browser`,
    };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MsseError(`the browser cannot decode this file (${reason}); WAV always works`, { file: file.name, cause });
  } finally {
    void context.close();
  }
}

/** RIFF/WAVE by its magic, or by name (so that a damaged .wav gets msse's message saying what is wrong). */
function isWav(bytes: Uint8Array, name: string): boolean {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  return (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') || /\.wave?$/i.test(name);
}

/** An AudioContext at `rateHz`; the default rate when none is given or the browser refuses it (outside 3–768 kHz). */
function audioContextAt(rateHz: number | undefined): AudioContext {
  if (rateHz !== undefined) {
    try {
      return new AudioContext({ sampleRate: rateHz });
    } catch {
      // NotSupportedError: fall through to the device's rate.
    }
  }
  return new AudioContext();
}
