// Running a trained model: its tensors on a backend, its file checked, probabilities. No training code.
export { checkModel, type CheckedModel } from './checked-model.ts';
export { checkStoreTensors, readStore, uploadStore, type HostStore, type HostTensor } from './model-state.ts';
export { exportOnnx, type OnnxExport } from './onnx-export.ts';
export { predictProbabilities, runInference, softmax, type PredictOptions } from './predict.ts';
