import type { MsseModel, WindowResult } from '../api/types.ts';
import { fileWindows, SampleHistory, type WindowSamples } from './audio-window.ts';
import { decodeAudioFile } from './audio-file.ts';
import type { Display } from './display.ts';
import { openMicrophone, type Microphone } from './microphone.ts';
import { Recording } from './recording.ts';
import { renderProfile } from './profile-view.ts';
import { SerialQueue } from './serial-queue.ts';

/** Seconds of microphone audio kept beyond one window: results are computed a little behind the capture. */
const MIC_HISTORY_SLACK_SECONDS = 2;

/** The page's controls (by their data-msse hooks) and its error line. */
export interface ControlElements {
  readonly file: HTMLInputElement;
  readonly drop: HTMLElement;
  readonly mic: HTMLButtonElement;
  readonly source: HTMLElement;
  /** The link to download what the microphone heard. */
  readonly recording: HTMLAnchorElement;
  readonly profile: HTMLButtonElement;
  readonly profileNote: HTMLElement;
  readonly profileTable: HTMLTableElement;
  showError(error: unknown): void;
  clearError(): void;
}

/**
 * Wires the inputs to a loaded model and enables them: the file input and drop zone, the microphone button and
 * the profile button. All model work goes through one queue; a handler's error goes to `ui.showError` and the
 * controls stay usable.
 */
export function wireControls(model: MsseModel, display: Display, ui: ControlElements): void {
  const { showError, clearError } = ui;
  const queue = new SerialQueue();
  const windowSeconds = model.frontEnd.lengthSamples / model.frontEnd.sampleRateHz;
  let live: { microphone: Microphone; stop: () => Promise<void> } | undefined;

  /**
   * Shows a stream's results, each timed from the later of the push (or end) that produced it and the result
   * before it: the classification's latency, not the microphone's pace.
   */
  const streamDisplay = (windows: WindowSamples, sampleRateHz: number) => {
    let since = performance.now();
    return {
      pushing: (): void => {
        since = performance.now();
      },
      onResult: (result: WindowResult): void => {
        const now = performance.now();
        display.show(result, windows, sampleRateHz, now - since);
        since = now;
      },
    };
  };

  const classifyFile = async (file: File): Promise<void> => {
    clearError();
    await live?.stop();
    await queue.run(async () => {
      display.begin();
      setSource(ui, file.name, 'decoding', `${file.name}: decoding…`);
      try {
        const { audio, sampleRateHz, durationSeconds, description } = await decodeAudioFile(file);
        setSource(ui, file.name, 'classifying', `${file.name}: ${durationSeconds.toFixed(2)} s, ${description}`);
        const windows = fileWindows(audio);
        if (durationSeconds <= windowSeconds) {
          const started = performance.now();
          const result = await model.classify(audio, sampleRateHz);
          display.show({ ...result, startSeconds: 0, endSeconds: durationSeconds }, windows, sampleRateHz, performance.now() - started);
        } else {
          // Longer than one window: the stream's windows, one per 0.5 s, fill the timeline; the last one stays shown.
          const shown = streamDisplay(windows, sampleRateHz);
          const stream = model.stream({ sampleRateHz, onResult: shown.onResult });
          shown.pushing();
          await stream.push(audio);
          shown.pushing();
          await stream.end();
        }
        setSource(ui, file.name, 'done');
      } catch (error) {
        setSource(ui, file.name, 'failed');
        throw error;
      }
    });
  };

  const startMicrophone = async (): Promise<void> => {
    clearError();
    const microphone = await openMicrophone();
    const { sampleRateHz } = microphone;
    const history = new SampleHistory(Math.ceil((windowSeconds + MIC_HISTORY_SLACK_SECONDS) * sampleRateHz));
    const shown = streamDisplay(history.windows, sampleRateHz);
    const stream = model.stream({ sampleRateHz, onResult: shown.onResult });
    const recording = new Recording(sampleRateHz);
    const stop = async (): Promise<void> => {
      if (live?.microphone !== microphone) return;
      live = undefined;
      setMicButton(false);
      await microphone.stop();
      // The samples heard since the last result get one more window; then the stream is done.
      await queue
        .run(() => {
          shown.pushing();
          return stream.end();
        })
        .catch(showError);
      offerRecording(ui.recording, recording);
      setSource(ui, 'microphone', 'done', `Microphone stopped; heard ${(history.heardFrames / sampleRateHz).toFixed(1)} s at ${sampleRateHz} Hz`);
    };
    live = { microphone, stop };
    setMicButton(true);
    ui.recording.hidden = true;
    await queue.run(() => {
      display.begin();
      setSource(ui, 'microphone', 'listening', `Microphone at ${sampleRateHz} Hz: the first result comes once ${windowSeconds.toFixed(2)} s have been heard`);
    });
    const onChunk = (chunk: Float32Array): void => {
      queue
        .run(async () => {
          history.append(chunk);
          recording.append(chunk);
          shown.pushing();
          await stream.push(chunk);
        })
        .catch((error: unknown) => {
          showError(error);
          void stop();
        });
    };
    try {
      await microphone.start(onChunk);
    } catch (error) {
      await stop();
      throw error;
    }
  };

  const setMicButton = (on: boolean): void => {
    ui.mic.setAttribute('aria-pressed', String(on));
    ui.mic.textContent = on ? 'Stop the microphone' : 'Start the microphone';
  };

  const profile = async (): Promise<void> => {
    clearError();
    ui.profile.disabled = true;
    ui.profileNote.textContent = 'Profiling (compiles and times every kernel; a few seconds)…';
    try {
      renderProfile(ui.profileTable, ui.profileNote, await queue.run(() => model.profile()), model.backend.description);
    } catch (error) {
      ui.profileNote.textContent = '';
      throw error;
    } finally {
      ui.profile.disabled = false;
    }
  };

  /** Runs a handler, showing any error; the handlers themselves leave the page usable when they fail. */
  const guarded = (handler: () => Promise<void>) => () => void handler().catch(showError);

  ui.file.addEventListener('change', () => {
    const file = ui.file.files?.[0];
    if (file !== undefined) guarded(() => classifyFile(file))();
    ui.file.value = ''; // choosing the same file again fires change again
  });
  ui.drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.drop.classList.add('over');
  });
  ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
  ui.drop.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) guarded(() => classifyFile(file))();
  });
  ui.mic.addEventListener('click', guarded(async () => {
    ui.mic.disabled = true;
    try {
      await (live === undefined ? startMicrophone() : live.stop());
    } finally {
      ui.mic.disabled = false;
    }
  }));
  ui.profile.addEventListener('click', guarded(profile));

  ui.file.disabled = false;
  ui.mic.disabled = false;
  if (model.backend.name === 'webgpu') ui.profile.disabled = false;
  else ui.profileNote.textContent = `Profiling times WebGPU dispatches; this page runs on ${model.backend.description}.`;
}

/**
 * The input line: what is being classified and how far it got. data-name (a file name, or `microphone`) and
 * data-state (`decoding`, `classifying`, `listening`, `done`, `failed`) let scripts and tests wait for an input.
 */
function setSource(ui: ControlElements, name: string, state: 'decoding' | 'classifying' | 'listening' | 'done' | 'failed', text?: string): void {
  ui.source.dataset.name = name;
  ui.source.dataset.state = state;
  if (text !== undefined) ui.source.textContent = text;
}

/** Points the download link at what a microphone session fed the model (a mono float32 WAV at the device's rate). */
function offerRecording(link: HTMLAnchorElement, recording: Recording): void {
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([recording.wav() as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
  link.download = `msse-microphone-${recording.sampleRateHz}Hz.wav`;
  link.textContent = `Download what the microphone heard (${recording.seconds.toFixed(1)} s, WAV): msse classify --timeline gives the same results`;
  link.hidden = false;
}
