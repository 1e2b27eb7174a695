/** A heat map of one window's MFCCs, the network's input. */
export interface MfccView {
  show(features: Float32Array, caption: string): void;
  clear(): void;
}

/** Colour ramp from low to high (viridis, five stops, linearly interpolated). */
const RAMP: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/**
 * Draws `features` (frames × coefficients, frames-major, as model.mfcc returns them) into `canvas`, one pixel per
 * frame and coefficient: time left to right, coefficient 0 at the bottom. Each coefficient is scaled to its own
 * range: coefficient 0 (overall level) spans a range many times the others' and would flatten them.
 */
export function createMfccView(canvas: HTMLCanvasElement, coefficients: number): MfccView {
  const context = canvas.getContext('2d');
  return {
    show(features, caption) {
      const frames = features.length / coefficients;
      if (context === null || !Number.isInteger(frames) || frames === 0) return;
      canvas.width = frames;
      canvas.height = coefficients;
      const image = context.createImageData(frames, coefficients);
      for (let k = 0; k < coefficients; k++) {
        let low = Infinity;
        let high = -Infinity;
        for (let t = 0; t < frames; t++) {
          const v = features[t * coefficients + k]!;
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
        const scale = high > low ? 1 / (high - low) : 0;
        const row = coefficients - 1 - k;
        for (let t = 0; t < frames; t++) {
          const [r, g, b] = colour((features[t * coefficients + k]! - low) * scale);
          const at = 4 * (row * frames + t);
          image.data[at] = r;
          image.data[at + 1] = g;
          image.data[at + 2] = b;
          image.data[at + 3] = 255;
        }
      }
      context.putImageData(image, 0, 0);
      canvas.setAttribute('aria-label', `MFCCs: ${frames} frames × ${coefficients} coefficients, ${caption}`);
    },
    clear() {
      context?.clearRect(0, 0, canvas.width, canvas.height);
      canvas.setAttribute('aria-label', 'No window yet');
    },
  };
}

/** The ramp's colour at `u` in [0, 1]. */
function colour(u: number): readonly [number, number, number] {
  const at = Math.min(Math.max(u, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(at), RAMP.length - 2);
  const f = at - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}
