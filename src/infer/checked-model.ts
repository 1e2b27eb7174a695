import { FRONT_END_SETTINGS, MAX_LENGTH_SAMPLES } from '../audio/mfcc-settings.ts';
import { FormatError } from '../errors.ts';
import { expectFrontEnd, type Float32Tensor, type LoadedModel } from '../io/model-file.ts';
import { parseMsseConfig, type MsseConfig } from '../model/config.ts';

/** A model file read and checked against this msse: network config, labels, and the front end it was trained with. */
export interface CheckedModel {
  readonly model: LoadedModel;
  readonly config: MsseConfig;
  /** The signal length (samples at 22050 Hz) its features were computed at. */
  readonly lengthSamples: number;
}

/**
 * Checks a decoded model file for inference: the front end must be ours apart from the signal length (which the
 * model carries, at most MAX_LENGTH_SAMPLES), the config valid, one label per class, the labels distinct and
 * non-empty (a repeated label would give its probability twice and lose a class from `probs`), every parameter
 * and BatchNorm statistic finite (a NaN would give NaN probabilities and a meaningless top label).
 * @throws FormatError naming the model's file
 */
export function checkModel(model: LoadedModel): CheckedModel {
  const path = model.file;
  const trained = model.frontEnd.lengthSamples;
  const lengthSamples = typeof trained === 'number' && Number.isInteger(trained) && trained > 0 ? trained : FRONT_END_SETTINGS.lengthSamples;
  if (lengthSamples > MAX_LENGTH_SAMPLES) {
    throw new FormatError(`front end lengthSamples is ${lengthSamples}; expected at most ${MAX_LENGTH_SAMPLES} (60 s at 22050 Hz)`, { file: path });
  }
  expectFrontEnd(model, { ...FRONT_END_SETTINGS, lengthSamples });
  const config = parseMsseConfig(model.config, path);
  if (model.labels.length !== config.numClasses) {
    throw new FormatError(`${model.labels.length} labels for a network of ${config.numClasses} classes`, { file: path });
  }
  expectDistinctLabels(model.labels, path);
  for (const tensors of [model.parameters, model.buffers]) {
    for (const [name, tensor] of tensors) expectFinite(name, tensor, path);
  }
  return { model, config, lengthSamples };
}

function expectDistinctLabels(labels: readonly string[], path: string): void {
  const first = new Map<string, number>();
  for (const [c, label] of labels.entries()) {
    if (label.trim() === '') throw new FormatError(`label ${c} is ${JSON.stringify(label)}; expected a non-empty class name`, { file: path });
    const earlier = first.get(label);
    if (earlier !== undefined) throw new FormatError(`label ${JSON.stringify(label)} is class ${earlier} and class ${c}; expected distinct labels`, { file: path });
    first.set(label, c);
  }
}

function expectFinite(name: string, { data }: Float32Tensor, path: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new FormatError(`tensor "${name}" holds ${data[i]} at element ${i}; expected finite values`, { file: path });
  }
}
