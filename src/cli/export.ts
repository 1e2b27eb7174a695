import { UsageError } from '../errors.ts';
import { exportOnnx } from '../infer/onnx-export.ts';
import { ONNX_OPSET } from '../model/onnx-graph.ts';
import { loadCheckedModel } from '../platform/node/model-file.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { stringOption, type Command } from './command.ts';
import { msseVersion } from './training-run.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'a model as an ONNX file (opset 17, BatchNorm folded) for ONNX Runtime and other runtimes',
  help: `usage: msse export MODEL -o OUT.onnx

Writes the model as an ONNX graph (opset ${ONNX_OPSET}, float32, BatchNorm folded into the convolutions) that
ONNX Runtime (onnxruntime-web, onnxruntime-node, Python) runs with the same logits as msse.

  -o, --output OUT   the .onnx file to write

Input "mfcc": (batch, T, 39) float32, the model's front end (T = 188 frames for EMO-DB; \`msse mfcc
--length N\` with the model's signal length gives them); any batch size. Output "logits": (batch,
classes), pre-softmax. The file's metadata holds "labels" (class order), "front_end", "config" and
"provenance" as JSON. Prints the output path, the node count and the size.`,
  options: { output: { type: 'string', short: 'o' } },

  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`export: expected one MODEL file, got ${args.positionals.length}`);
    const modelPath = args.positionals[0]!;
    const output = stringOption(args, 'output');
    if (output === undefined) throw new UsageError('export: missing -o OUT.onnx');
    const outputs = prepareOutputs([output], { inputs: [modelPath] });
    try {
      const { bytes, nodeCount } = exportOnnx(loadCheckedModel(modelPath), msseVersion());
      writeOutputFile(output, bytes);
      io.out(`${output}: ONNX opset ${ONNX_OPSET}, ${nodeCount} nodes, ${bytes.length} bytes`);
    } finally {
      outputs.release();
    }
  },
};
