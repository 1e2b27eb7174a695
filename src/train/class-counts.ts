/** How a data set's examples fall into its classes, and what training needs of that. */
import { FormatError } from '../errors.ts';

/** Examples per class: `counts[c]` of the class indices `labels`, for `numClasses` classes. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/**
 * A classifier needs examples of at least two classes: with one, training learns a constant and cross-validation
 * scores 100%.
 * @param file names the labels' source (labels.csv, or the data folder) in the error
 * @throws FormatError naming `file` and the classes that have examples
 */
export function expectTwoClasses(labels: readonly string[], counts: readonly number[], file: string): void {
  const present = labels.map((label, c) => ({ label, count: counts[c]! })).filter((c) => c.count > 0);
  if (present.length >= 2) return;
  const found = present.length === 0 ? 'no class has examples' : `only one class has examples ('${present[0]!.label}': ${present[0]!.count})`;
  throw new FormatError(`${found}; training needs at least two classes`, { file });
}

/** The classes with fewer examples than `folds` (some test folds then have none of them), with their counts. */
export function classesBelowFolds(labels: readonly string[], counts: readonly number[], folds: number): { label: string; count: number }[] {
  return labels.map((label, c) => ({ label, count: counts[c]! })).filter((c) => c.count < folds);
}
