/**
 * A checked msse model as an ONNX file: BatchNorm folded, MS-SENet written as an opset-17 graph (src/model/onnx-graph.ts),
 * the model's labels and front end in the file's metadata so that whoever runs it can compute the same input.
 */
import { frameCount } from '../audio/mfcc-settings.ts';
import { encodeOnnxModel } from '../io/onnx/onnx.ts';
import { foldBatchNorm } from '../model/fold-batch-norm.ts';
import { msseOnnxModel } from '../model/onnx-graph.ts';
import type { CheckedModel } from './checked-model.ts';
import { checkStoreTensors } from './model-state.ts';

export interface OnnxExport {
  /** The `.onnx` file's bytes (a serialized ModelProto). */
  readonly bytes: Uint8Array;
  readonly nodeCount: number;
  /** T of the input `mfcc` (batch, T, F). */
  readonly frames: number;
}

/**
 * Exports a model for ONNX Runtime and other ONNX consumers.
 * @param producerVersion msse's version, recorded as the file's producer_version
 * @throws FormatError naming the model file when its tensors are not those of its config
 */
export function exportOnnx(checked: CheckedModel, producerVersion: string): OnnxExport {
  const { model, config, lengthSamples } = checked;
  checkStoreTensors(config, model, model.file);
  const frames = frameCount(lengthSamples);
  const onnx = msseOnnxModel(config, foldBatchNorm(config, model), {
    frames,
    producerVersion,
    docString:
      `MS-SENet speech emotion recognition exported by msse. Input "mfcc": (batch, ${frames}, ${config.feat}) float32 MFCCs, ` +
      `frames-major, from msse's front end with the settings in metadata "front_end" (msse mfcc --length ${lengthSamples}). ` +
      `Output "logits": (batch, ${config.numClasses}), pre-softmax, class c named by metadata "labels"[c]. BatchNorm is folded.`,
    metadata: {
      labels: JSON.stringify(model.labels),
      front_end: JSON.stringify(model.frontEnd),
      config: JSON.stringify(model.config),
      provenance: JSON.stringify(model.provenance),
    },
  });
  return { bytes: encodeOnnxModel(onnx), nodeCount: onnx.graph.nodes.length, frames };
}
