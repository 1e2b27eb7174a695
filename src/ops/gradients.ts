import { gradientOf, type GradientTable } from '../runtime/op.ts';
import { addGradient, addOp } from './add.ts';
import { batchNormReluDropoutGradient, batchNormReluDropoutOp, batchNormTrainGradient, batchNormTrainOp } from './batch-norm.ts';
import { concatGradient, concatOp } from './concat.ts';
import { conv1dCausalGradient, conv1dCausalOp } from './conv1d-causal.ts';
import { conv2dGradient, conv2dOp } from './conv2d.ts';
import { denseGradient, denseOp, perSampleDenseGradient, perSampleDenseOp } from './dense.ts';
import { mulGradient, mulOp } from './mul.ts';
import { reduceSumGradient, reduceSumOp } from './reduce-sum.ts';
import { reluGradient, reluOp } from './relu.ts';
import { reshapeGradient, reshapeOp } from './reshape.ts';
import { reverseTimeGradient, reverseTimeOp } from './reverse-time.ts';
import { sigmoidGradient, sigmoidOp } from './sigmoid.ts';
import { softmaxCrossEntropyGradient, softmaxCrossEntropyOp } from './softmax-cross-entropy.ts';
import { reluDropoutGradient, reluDropoutOp, spatialDropoutGradient, spatialDropoutOp } from './spatial-dropout.ts';
import { weightedSumGradient, weightedSumOp } from './weighted-sum.ts';

/**
 * Every differentiable op with its backward: what a Tape needs to train MS-SENet. Only training code imports this,
 * so a bundle that only runs models leaves every backward out.
 */
export const OP_GRADIENTS: GradientTable = new Map([
  gradientOf(addOp, addGradient),
  gradientOf(batchNormTrainOp, batchNormTrainGradient),
  gradientOf(batchNormReluDropoutOp, batchNormReluDropoutGradient),
  gradientOf(concatOp, concatGradient),
  gradientOf(conv1dCausalOp, conv1dCausalGradient),
  gradientOf(conv2dOp, conv2dGradient),
  gradientOf(denseOp, denseGradient),
  gradientOf(perSampleDenseOp, perSampleDenseGradient),
  gradientOf(mulOp, mulGradient),
  gradientOf(reduceSumOp, reduceSumGradient),
  gradientOf(reluOp, reluGradient),
  gradientOf(reshapeOp, reshapeGradient),
  gradientOf(reverseTimeOp, reverseTimeGradient),
  gradientOf(sigmoidOp, sigmoidGradient),
  gradientOf(softmaxCrossEntropyOp, softmaxCrossEntropyGradient),
  gradientOf(spatialDropoutOp, spatialDropoutGradient),
  gradientOf(reluDropoutOp, reluDropoutGradient),
  gradientOf(weightedSumOp, weightedSumGradient),
]);
