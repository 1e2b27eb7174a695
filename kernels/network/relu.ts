// relu.ts: the rectifier (the reference's relu.forward; shaders/relu.wgsl).
//   y[i] = max(x[i], 0),  i < n
// Reads x (n f32); writes y (n f32). f32x4.max (NaN in, NaN out, as Math.max), a scalar tail for n mod 4.

import { at, LANES } from './simd';

export function reluForward(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(y, i), f32x4.max(v128.load(at(x, i)), zero));
  for (; i < n; i++) store<f32>(at(y, i), max<f32>(load<f32>(at(x, i)), 0));
}
