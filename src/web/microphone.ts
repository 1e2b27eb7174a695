import { MsseError } from '../browser.ts';
import { CAPTURE_PROCESSOR, CAPTURE_WORKLET_SOURCE } from './capture-worklet.ts';

/** The microphone, opened: its rate is known before any sample flows, so a stream can be made at that rate. */
export interface Microphone {
  /** The AudioContext's rate: the device's own; chunks arrive at this rate. */
  readonly sampleRateHz: number;
  /** Starts delivering mono chunks (about 85 ms each at 48 kHz). */
  start(onChunk: (samples: Float32Array) => void): Promise<void>;
  /** Stops capture and releases the device; idempotent. */
  stop(): Promise<void>;
}

/** Frames per chunk posted by the worklet. */
const CHUNK_FRAMES = 4096;

/**
 * Asks for the microphone with the browser's voice processing off (echo cancellation, noise suppression and
 * gain control would change what the model hears), and taps it with an AudioWorklet in an AudioContext at the
 * device's own rate: msse resamples to 22050 Hz itself, so the page never asks the browser for another rate.
 * @throws MsseError when there is no microphone, permission is refused, or AudioWorklet is unavailable
 */
export async function openMicrophone(): Promise<Microphone> {
  if (navigator.mediaDevices?.getUserMedia === undefined) {
    throw new MsseError('this page cannot reach a microphone (navigator.mediaDevices is missing; it needs https or localhost)');
  }
  let media: MediaStream;
  try {
    media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (cause) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new MsseError(`cannot open the microphone (${reason})`, { cause });
  }
  const context = new AudioContext();
  const close = async (): Promise<void> => {
    for (const track of media.getTracks()) track.stop();
    if (context.state !== 'closed') await context.close();
  };
  let tap: AudioWorkletNode;
  try {
    const url = URL.createObjectURL(new Blob([CAPTURE_WORKLET_SOURCE], { type: 'text/javascript' }));
    try {
      await context.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    tap = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      processorOptions: { chunkFrames: CHUNK_FRAMES },
    });
  } catch (cause) {
    await close();
    throw new MsseError(`cannot start audio capture (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  const source = context.createMediaStreamSource(media);
  let stopped = false;

  return {
    sampleRateHz: context.sampleRate,
    async start(onChunk) {
      tap.port.onmessage = (event: MessageEvent<Float32Array>) => {
        if (!stopped) onChunk(event.data);
      };
      source.connect(tap);
      await context.resume();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      tap.port.onmessage = null;
      source.disconnect();
      await close();
    },
  };
}
