import type { MsseModel, WindowResult } from '../api/types.ts';
import type { WindowSamples } from './audio-window.ts';
import { createMfccView } from './mfcc-view.ts';
import { createResultView } from './result-view.ts';
import { createTimelineView } from './timeline-view.ts';

/** What the page shows of an input: the latest result, the timeline of all of them, the current window's MFCCs. */
export interface Display {
  /** Clears the views for a new input. */
  begin(): void;
  /**
   * Shows one result: its label and bars, a point on the timeline, and the MFCC image of its window, computed
   * from `windows` at `sampleRateHz`. `elapsedMs` is how long the classification took, for the caption.
   */
  show(result: WindowResult, windows: WindowSamples, sampleRateHz: number, elapsedMs: number): void;
}

/** The page's elements a Display draws into (found by their data-msse hooks in page.ts). */
export interface DisplayElements {
  readonly result: HTMLElement;
  readonly timeline: SVGSVGElement;
  readonly legend: HTMLElement;
  readonly mfcc: HTMLCanvasElement;
}

export function createDisplay(model: MsseModel, elements: DisplayElements): Display {
  const windowSeconds = model.frontEnd.lengthSamples / model.frontEnd.sampleRateHz;
  const result = createResultView(elements.result, model.labels);
  const timeline = createTimelineView(elements.timeline, elements.legend, model.labels, windowSeconds);
  const mfcc = createMfccView(elements.mfcc, model.frontEnd.nMfcc);
  return {
    begin() {
      result.clear();
      timeline.clear();
      mfcc.clear();
    },
    show(window, windows, sampleRateHz, elapsedMs) {
      const span = `${window.startSeconds.toFixed(2)}–${window.endSeconds.toFixed(2)} s`;
      result.show(window, `for ${span}, in ${elapsedMs.toFixed(0)} ms`);
      elements.result.dataset.ms = elapsedMs.toFixed(1);
      timeline.add(window);
      const audio = windows(Math.round(window.startSeconds * sampleRateHz), Math.round(window.endSeconds * sampleRateHz));
      if (audio !== undefined) mfcc.show(model.mfcc(audio, sampleRateHz), span);
    },
  };
}
