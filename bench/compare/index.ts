// `msse bench`: msse beside ONNX Runtime Web and TensorFlow.js, in one run. src/cli/bench.ts is its command.
export { runBench, type BenchOptions, type BenchResult, type ImplInfo } from './run-bench.ts';
export { runChild } from './child.ts';
export { benchMarkdown } from './report-markdown.ts';
export { renderBenchHtml } from './report-html.ts';
export { CASES, type BenchRow, type CaseName, type ImplName } from './rows.ts';
export { LARGE_BATCH, PARITY_TOLERANCE, SETTINGS, type Suite } from './settings.ts';
