import { FRONT_END_SETTINGS } from '../audio/mfcc-settings.ts';
import { FormatError } from '../errors.ts';
import { expectFrontEnd, type LoadedModel } from '../io/model-file.ts';
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
 * model carries), the config valid, one label per class.
 * @throws FormatError naming the model's file
 */
export function checkModel(model: LoadedModel): CheckedModel {
  const path = model.file;
  const trained = model.frontEnd.lengthSamples;
  const lengthSamples = typeof trained === 'number' && Number.isInteger(trained) && trained > 0 ? trained : FRONT_END_SETTINGS.lengthSamples;
  expectFrontEnd(model, { ...FRONT_END_SETTINGS, lengthSamples });
  const config = parseMsseConfig(model.config, path);
  if (model.labels.length !== config.numClasses) {
    throw new FormatError(`${model.labels.length} labels for a network of ${config.numClasses} classes`, { file: path });
  }
  return { model, config, lengthSamples };
}
