// add.ts: elementwise sum of two tensors of one shape (the reference's add.forward; shaders/add.wgsl).
//   y[i] = a[i] + b[i],  i < n
// Reads a, b (n f32 each); writes y (n f32). f32x4 over the flat arrays, a scalar tail for n mod 4.

import { at, LANES } from './simd';

export function addForward(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(y, i), f32x4.add(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(a, i)) + load<f32>(at(b, i)));
}
