// direction-dense.ts: Dense with each direction's own weights, conv_in of the fused forward (the reference's
// directionDense.forward; shaders/direction-dense.wgsl).
//   y[n, r, o] = b[d, o] + Σ_i w[d, i, o] · x[n, r, i],  d = n / B (sample n's direction)
// Reads x (2B, R, In), w (2, In, npad) packed as gemm.ts's weight rows (npad = Out rounded up to f32x4, zero past
// Out: uploadFusedParams's layout, used as it is), b (2, Out); writes y rows of samples [lo, hi) (2B, R, Out).
// No scratch. Work split: items are samples (d = n / B), each one gemm.ts call over its rows (one tap, kin = In),
// its direction's bias row read unpadded (its lanes past Out reach only lanes never stored).

import { gemmRows, paddedWidth } from './gemm';
import { at } from './simd';

export function directionDenseForward(
  x: usize, w: usize, b: usize, y: usize,
  lo: i32, hi: i32, batch: i32, rows: i32, cin: i32, cout: i32,
): void {
  const npad = paddedWidth(cout);
  for (let n = lo; n < hi; n++) {
    const d = n / batch;
    gemmRows(
      rows, rows, 1,
      at(x, n * rows * cin), cin << 2, 0, 0,
      at(y, n * rows * cout), cout << 2, 0, 0,
      at(b, d * cout), at(w, d * cin * npad), cout, cin, 1, 0,
    );
  }
}
