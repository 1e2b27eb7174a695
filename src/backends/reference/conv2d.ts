import type { Conv2dAttrs, InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

/**
 * One input channel, TF 'same' zero padding: before = ⌊(K−1)/2⌋ on each axis (symmetric for the odd kernels of
 * MS-SENet: (5, 0) for 11×1, (0, 4) for 1×9, (1, 1) for 3×3). Input row tt = t + i − padT, column ff = f + j − padF.
 */
function padding({ kh, kw }: Conv2dAttrs): { padT: number; padF: number } {
  return { padT: Math.floor((kh - 1) / 2), padF: Math.floor((kw - 1) / 2) };
}

export const conv2dInference: InferenceKernels['conv2d'] = {
  /** y[b,t,f,c] = bias[c] + Σ_{i,j} w[c,0,i,j] · x[b, t+i−padT, f+j−padF]; each x tap read once for all c. */
  forward(x, w, bias, attrs) {
    const op = 'conv2d.forward';
    const [batch, time, freq, chans] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, w.shape[0]!];
    const { padT, padF } = padding(attrs);
    const X = input(op, 'x', x);
    const W = input(op, 'w', w);
    const Bv = input(op, 'b', bias);
    const { tensor, view: Y } = output(op, 'y', [batch, time, freq, chans]);
    const sums = new Float64Array(chans);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        for (let f = 0; f < freq; f++) {
          for (let c = 0; c < chans; c++) sums[c] = Bv.get(c);
          for (let i = 0; i < attrs.kh; i++) {
            const tt = t + i - padT;
            if (tt < 0 || tt >= time) continue;
            for (let j = 0; j < attrs.kw; j++) {
              const ff = f + j - padF;
              if (ff < 0 || ff >= freq) continue;
              const xv = X.get(b, tt, ff);
              for (let c = 0; c < chans; c++) sums[c]! += W.get(c, 0, i, j) * xv;
            }
          }
          for (let c = 0; c < chans; c++) Y.set(sums[c]!, b, t, f, c);
        }
      }
    }
    return tensor;
  },
};

export const conv2dTraining: TrainingKernels['conv2d'] = {
  /** dx[b,t,f] = Σ_{c,i,j} dy[b, t−i+padT, f−j+padF, c] · w[c,0,i,j] over outputs inside the image. */
  backwardInput(dy, w, attrs) {
    const op = 'conv2d.backwardInput';
    const [batch, time, freq, chans] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, dy.shape[3]!];
    const { padT, padF } = padding(attrs);
    const DY = input(op, 'dy', dy);
    const W = input(op, 'w', w);
    const { tensor, view: DX } = output(op, 'dx', [batch, time, freq]);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        for (let f = 0; f < freq; f++) {
          let sum = 0;
          for (let i = 0; i < attrs.kh; i++) {
            const to = t - i + padT;
            if (to < 0 || to >= time) continue;
            for (let j = 0; j < attrs.kw; j++) {
              const fo = f - j + padF;
              if (fo < 0 || fo >= freq) continue;
              for (let c = 0; c < chans; c++) sum += DY.get(b, to, fo, c) * W.get(c, 0, i, j);
            }
          }
          DX.set(sum, b, t, f);
        }
      }
    }
    return tensor;
  },

  /**
   * dw[c,0,i,j] = Σ_{b,t,f} dy[b,t,f,c] · x[b, t+i−padT, f+j−padF] over taps inside the image; each x tap is
   * read once per output pixel for all c, the sums kept in a local (C, KH, KW) array.
   */
  backwardWeight(dy, x, attrs) {
    const op = 'conv2d.backwardWeight';
    const [batch, time, freq, chans] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, dy.shape[3]!];
    const { padT, padF } = padding(attrs);
    const DY = input(op, 'dy', dy);
    const X = input(op, 'x', x);
    const { tensor, view: DW } = output(op, 'dw', [chans, 1, attrs.kh, attrs.kw]);
    const sums = new Float64Array(chans * attrs.kh * attrs.kw);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        for (let f = 0; f < freq; f++) {
          for (let i = 0; i < attrs.kh; i++) {
            const tt = t + i - padT;
            if (tt < 0 || tt >= time) continue;
            for (let j = 0; j < attrs.kw; j++) {
              const ff = f + j - padF;
              if (ff < 0 || ff >= freq) continue;
              const xv = X.get(b, tt, ff);
              for (let c = 0; c < chans; c++) sums[(c * attrs.kh + i) * attrs.kw + j]! += DY.get(b, t, f, c) * xv;
            }
          }
        }
      }
    }
    for (let c = 0; c < chans; c++) {
      for (let i = 0; i < attrs.kh; i++) {
        for (let j = 0; j < attrs.kw; j++) DW.set(sums[(c * attrs.kh + i) * attrs.kw + j]!, c, 0, i, j);
      }
    }
    return tensor;
  },
};
