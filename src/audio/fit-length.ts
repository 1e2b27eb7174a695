/**
 * TIM-Net's length rule (`Code/extract_feature.py`), applied to the 22050 Hz signal before the STFT:
 * a short signal is zero-padded with `floor((L - n) / 2)` zeros before and the rest (the odd one) after;
 * a long one keeps `signal[floor((n - L) / 2) : floor((n - L) / 2) + L]`, the centre, dropping the odd sample at
 * the end. Both the float64 reference and the WebAssembly front end use this one function.
 */

/**
 * Returns a new array of `lengthSamples` samples, of the same type as `signal`, padded or centre-cropped by
 * TIM-Net's rule. A signal already of that length comes back as a copy.
 */
export function fitLength<T extends Float32Array | Float64Array>(signal: T, lengthSamples: number): T {
  if (!Number.isInteger(lengthSamples) || lengthSamples <= 0) {
    throw new RangeError(`fitLength: length ${lengthSamples} samples; expected a positive integer`);
  }
  const n = signal.length;
  const out = new (signal.constructor as new (length: number) => T)(lengthSamples);
  if (n < lengthSamples) {
    out.set(signal, Math.floor((lengthSamples - n) / 2));
  } else {
    const start = Math.floor((n - lengthSamples) / 2);
    out.set(signal.subarray(start, start + lengthSamples));
  }
  return out;
}
