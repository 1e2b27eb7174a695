/**
 * Classification metrics of the evaluation protocol: confusion matrix, per-class recall, UAR and WAR.
 *
 * UAR (unweighted average recall) is the mean recall over the classes PRESENT in the truth. A class with no
 * true example has no recall (0 / 0) and is left out of the mean, so a test fold that happens to lack a class is
 * scored on the classes it has. sklearn's `recall_score(average='macro')`, which TIM-Net calls, instead averages
 * over the classes present in the truth OR the predictions and counts a predicted-but-absent class as recall 0;
 * the two agree whenever every class occurs in the truth (always so for EMO-DB's 10 folds in practice).
 * WAR (weighted average recall) is plain accuracy: recall weighted by class frequency.
 */
import { invariant } from '../errors.ts';

/** Counts, `confusion[true][predicted]`: rows are true classes, columns predicted classes. */
export type ConfusionMatrix = number[][];

/** An empty numClasses x numClasses matrix. */
export function emptyConfusion(numClasses: number): ConfusionMatrix {
  return Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
}

/** The confusion matrix of class indices `truth` vs `predicted` (equal lengths, values in [0, numClasses)). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): ConfusionMatrix {
  invariant(truth.length === predicted.length, `confusionMatrix: ${truth.length} true labels, ${predicted.length} predictions`);
  const confusion = emptyConfusion(numClasses);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    invariant(isClass(t, numClasses) && isClass(p, numClasses), `confusionMatrix: sample ${i} has classes ${t} -> ${p}; expected 0..${numClasses - 1}`);
    confusion[t]![p]!++;
  }
  return confusion;
}

function isClass(value: number, numClasses: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < numClasses;
}

/** Element-wise sum of same-sized confusion matrices (e.g. over the folds). */
export function sumConfusions(matrices: readonly ConfusionMatrix[]): ConfusionMatrix {
  invariant(matrices.length > 0, 'sumConfusions: no matrices');
  const numClasses = matrices[0]!.length;
  const total = emptyConfusion(numClasses);
  for (const matrix of matrices) {
    invariant(matrix.length === numClasses, `sumConfusions: ${matrix.length} x ${matrix.length} matrix among ${numClasses} x ${numClasses}`);
    for (let t = 0; t < numClasses; t++) for (let p = 0; p < numClasses; p++) total[t]![p]! += matrix[t]![p]!;
  }
  return total;
}

/** Recall of each class (its diagonal count over its row sum); `null` for a class absent from the truth. */
export function perClassRecall(confusion: ConfusionMatrix): (number | null)[] {
  return confusion.map((row, t) => {
    const support = rowSum(row);
    return support === 0 ? null : row[t]! / support;
  });
}

/** Unweighted average recall: the mean of perClassRecall over the classes present in the truth. */
export function unweightedAverageRecall(confusion: ConfusionMatrix): number {
  const recalls = perClassRecall(confusion).filter((r): r is number => r !== null);
  invariant(recalls.length > 0, 'unweightedAverageRecall: empty confusion matrix');
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/** Weighted average recall = accuracy: the diagonal over the total. */
export function weightedAverageRecall(confusion: ConfusionMatrix): number {
  const total = confusion.reduce((sum, row) => sum + rowSum(row), 0);
  invariant(total > 0, 'weightedAverageRecall: empty confusion matrix');
  return confusion.reduce((sum, row, t) => sum + row[t]!, 0) / total;
}

function rowSum(row: readonly number[]): number {
  return row.reduce((a, b) => a + b, 0);
}

/**
 * The predicted class of each row of `scores` (rows x numClasses, row-major logits or probabilities): the index of
 * the largest value, the first one on ties (numpy's argmax). A NaN row is a bug upstream, not a prediction.
 */
export function argmaxRows(scores: ArrayLike<number>, numClasses: number): Int32Array {
  invariant(numClasses >= 1 && scores.length % numClasses === 0, `argmaxRows: ${scores.length} scores for ${numClasses} classes`);
  const predictions = new Int32Array(scores.length / numClasses);
  for (let row = 0; row < predictions.length; row++) {
    let best = 0;
    for (let c = 0; c < numClasses; c++) {
      const value = scores[row * numClasses + c]!;
      invariant(!Number.isNaN(value), `argmaxRows: NaN score in row ${row}`);
      if (value > scores[row * numClasses + best]!) best = c;
    }
    predictions[row] = best;
  }
  return predictions;
}
