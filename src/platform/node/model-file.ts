import { FormatError } from '../../errors.ts';
import { checkModel, type CheckedModel } from '../../infer/checked-model.ts';
import { decodeModel, encodeModel, type LoadedModel, type ModelContents } from '../../io/model-file.ts';
import { writeOutputFile } from './output-file.ts';
import { readFileOr } from './read-file.ts';

/**
 * Writes a model file atomically and durably (readers never see a half-written model; see output-file.ts).
 * @throws OutputError naming `path`
 */
export function saveModel(path: string, model: ModelContents): void {
  writeOutputFile(path, encodeModel(model));
}

/**
 * Reads a model file written by saveModel.
 * @throws FormatError naming `path` when it cannot be read or is not a complete msse model (see decodeModel)
 */
export function loadModel(path: string): LoadedModel {
  return decodeModel(readFileOr(path, FormatError), path);
}

/** Reads a model file and checks it for inference (checkModel). @throws FormatError naming `path` */
export function loadCheckedModel(path: string): CheckedModel {
  return checkModel(loadModel(path));
}
