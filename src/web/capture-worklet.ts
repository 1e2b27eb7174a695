/**
 * The AudioWorklet processor that taps the microphone, as source text: the page loads it from a Blob URL, so
 * the processor ships inside page.js and needs no file of its own in dist/web.
 *
 * `msse-capture` averages its input's channels to mono and posts Float32Array chunks of `chunkFrames` frames
 * (processorOptions) to the page, transferring each buffer. Audio arrives in render quanta of 128 frames; a
 * chunk of a few thousand frames keeps the page's message rate near ten a second.
 */
export const CAPTURE_PROCESSOR = 'msse-capture';

export const CAPTURE_WORKLET_SOURCE = `
registerProcessor('${CAPTURE_PROCESSOR}', class extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.chunkFrames = options.processorOptions.chunkFrames;
    this.chunk = new Float32Array(this.chunkFrames);
    this.filled = 0;
  }
  process(inputs) {
    const channels = inputs[0];
    if (channels.length === 0) return true; // not connected yet, or the source ended
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i];
      this.chunk[this.filled++] = sum / channels.length;
      if (this.filled === this.chunkFrames) {
        this.port.postMessage(this.chunk, [this.chunk.buffer]);
        this.chunk = new Float32Array(this.chunkFrames);
        this.filled = 0;
      }
    }
    return true;
  }
});
`;
