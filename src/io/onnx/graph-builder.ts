/**
 * Builds an OnnxGraph node by node, in topological order: each node's inputs must already exist (a graph input,
 * an initializer or an earlier node's output), and every value name is used once. Mistakes in a graph written by
 * hand (a typo in a value name, a value defined twice) are caught here, as bugs, before any runtime sees the file.
 */
import { invariant } from '../../errors.ts';
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx.ts';

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly values = new Set<string>();
  private readonly opCounts = new Map<string, number>();

  /** `inputs` are the graph's inputs; their names are values from the start. */
  constructor(private readonly inputs: readonly OnnxValueInfo[]) {
    for (const input of inputs) this.define(input.name);
  }

  /**
   * Adds a node with one output and returns the output's name: `output` when given (an activation's golden site
   * name, `fwd.tab3`), else `<opType>_<n>`. The node takes the output's name.
   */
  node(opType: string, inputs: readonly string[], options: { attributes?: readonly OnnxAttribute[]; output?: string } = {}): string {
    for (const input of inputs) invariant(this.values.has(input), `onnx graph: ${opType} reads "${input}", which is not defined yet`);
    const n = (this.opCounts.get(opType) ?? 0) + 1;
    this.opCounts.set(opType, n);
    const output = options.output ?? `${opType}_${n}`;
    this.define(output);
    const attributes = options.attributes === undefined ? {} : { attributes: options.attributes };
    this.nodes.push({ opType, inputs, outputs: [output], name: output, ...attributes });
    return output;
  }

  /** A float32 initializer (values rounded to float32); returns its name. */
  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    this.define(name);
    this.initializers.push({ name, dataType: 'float', dims, data: Float32Array.from(values) });
    return name;
  }

  /** An int64 initializer (shapes, axes, pads, slice bounds); returns its name. */
  int64s(name: string, values: readonly (number | bigint)[]): string {
    this.define(name);
    this.initializers.push({ name, dataType: 'int64', dims: [values.length], data: values });
    return name;
  }

  /** The graph; every output must be a defined value. */
  build(name: string, outputs: readonly OnnxValueInfo[], docString?: string): OnnxGraph {
    for (const output of outputs) invariant(this.values.has(output.name), `onnx graph: output "${output.name}" is not computed`);
    return {
      name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs,
      ...(docString === undefined ? {} : { docString }),
    };
  }

  private define(name: string): void {
    invariant(!this.values.has(name), `onnx graph: value "${name}" is defined twice`);
    this.values.add(name);
  }
}
