/**
 * The demo page (dist/web/index.html): loads the shipped model, classifies audio files and the microphone, and
 * shows the latest result, a timeline of all results, the MFCCs of the current window and a per-kernel profile.
 * Elements are found by their data-msse attributes, which are also the browser tests' hooks. Every error is
 * shown as one line in the error element and the page stays usable.
 */
import { loadModel, MsseError } from '../browser.ts';
import type { BackendChoice, LoadProgress, MsseModel } from '../api/types.ts';
import { wireControls } from './controls.ts';
import { createDisplay } from './display.ts';

/** The element carrying `data-msse="name"`. */
function hook<T extends Element = HTMLElement>(name: string): T {
  const element = document.querySelector<T>(`[data-msse="${name}"]`);
  if (element === null) throw new MsseError(`index.html has no element with data-msse="${name}"`);
  return element;
}

const ui = {
  ready: hook('ready'),
  backend: hook('backend'),
  error: hook('error'),
  file: hook<HTMLInputElement>('file'),
  drop: hook('drop'),
  mic: hook<HTMLButtonElement>('mic'),
  source: hook('source'),
  recording: hook<HTMLAnchorElement>('recording'),
  profile: hook<HTMLButtonElement>('profile'),
  profileNote: hook('profile-note'),
  profileTable: hook<HTMLTableElement>('profile-table'),
};

function showError(error: unknown): void {
  const text = error instanceof MsseError ? error.line : error instanceof Error ? error.message : String(error);
  ui.error.textContent = text.split('\n', 1)[0]!;
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.textContent = '';
  ui.error.hidden = true;
}

function formatBytes(bytes: number): string {
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(2)} MB`;
}

function onProgress({ loadedBytes, totalBytes }: LoadProgress): void {
  const of = totalBytes === undefined ? '' : ` of ${formatBytes(totalBytes)}`;
  ui.ready.textContent = `Loading the model… ${formatBytes(loadedBytes)}${of}`;
  ui.ready.dataset.loadedBytes = String(loadedBytes);
}

async function main(): Promise<void> {
  const backend = (new URLSearchParams(location.search).get('backend') ?? 'auto') as BackendChoice;
  let model: MsseModel;
  try {
    model = await loadModel(undefined, { backend, onProgress });
  } catch (error) {
    ui.ready.textContent = 'The model did not load; other backends are listed below.';
    showError(error);
    return;
  }
  ui.backend.textContent = `Backend: ${model.backend.description}`;
  const display = createDisplay(model, {
    result: hook('result'),
    timeline: hook<SVGSVGElement>('timeline'),
    legend: hook('legend'),
    mfcc: hook<HTMLCanvasElement>('mfcc'),
  });
  wireControls(model, display, { ...ui, showError, clearError });
  const loaded = Number(ui.ready.dataset.loadedBytes ?? 0);
  ui.ready.textContent = `Ready: ${model.labels.length} classes, ${formatBytes(loaded)} of model loaded. Choose a file or start the microphone.`;
  ui.ready.dataset.ready = 'true';
}

// A bug that escapes the handlers still reaches the error line (and the console, where tests see it).
window.addEventListener('error', (event) => showError(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => showError(event.reason));
void main();
