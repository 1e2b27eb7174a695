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

// reluBackward (the reference's relu.backward): dx[i] = dy[i] where y[i] > 0, else 0 (the kink gets 0, as Keras).
// Reads dy, y (n f32); writes dx. f32x4: dy and-ed with the y > 0 lane mask (+0 where dropped), a scalar tail.
export function reluBackward(dy: usize, y: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(dx, i), v128.and(v128.load(at(dy, i)), f32x4.gt(v128.load(at(y, i)), zero)));
  for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(y, i)) > 0 ? load<f32>(at(dy, i)) : 0);
}
