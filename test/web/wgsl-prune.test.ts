import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openNodeGpu } from '../../src/platform/node/backends.ts';
import { type GpuContext } from '../../src/backends/webgpu/device.ts';
import { pruneWgsl } from '../../scripts/web/wgsl-prune.ts';
import { repoRoot } from '../support/paths.ts';

interface UnitCase {
  readonly name: string;
  readonly source: string;
  readonly entries: readonly string[];
  /** The whole pruned module, exactly. */
  readonly expected: string;
}

const unitCases: readonly UnitCase[] = [
  {
    name: 'nested block comments and line comments go; no two tokens join',
    source: `/* outer /* inner */ still outer // not a line comment */ const A = 1u;  // tail /* not a block
const/**/B = A; /* two
lines */ @compute @workgroup_size(1) fn main() { _ = B; }`,
    entries: ['main'],
    expected: 'const A=1u;\nconst B=A;\n@compute@workgroup_size(1)fn main(){_=B;}\n',
  },
  {
    name: 'a helper fn is kept when referenced, transitively with what it references',
    source: `const K = 2.0;
fn twice(x: f32) -> f32 { return K * x; }
fn unused(x: f32) -> f32 { return x; }
@compute @workgroup_size(1) fn main() { _ = twice(1.0); }`,
    entries: ['main'],
    expected: 'const K=2.0;\nfn twice(x:f32)->f32{return K*x;}\n@compute@workgroup_size(1)fn main(){_=twice(1.0);}\n',
  },
  {
    name: 'a helper fn is dropped when only a dropped entry point references it',
    source: `fn helper() -> u32 { return 1u; }
@compute @workgroup_size(1) fn a() { _ = helper(); }
@compute @workgroup_size(1) fn b() { }`,
    entries: ['b'],
    expected: '@compute@workgroup_size(1)fn b(){}\n',
  },
  {
    name: 'entry points sharing a binding number keep only the variable the kept one uses',
    source: `@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> gradient: array<f32>;
@compute @workgroup_size(1) fn forward() { _ = input[0]; }
@compute @workgroup_size(1) fn backward() { gradient[0] = 1.0; }`,
    entries: ['backward'],
    expected: '@group(0)@binding(1)var<storage,read_write>gradient:array<f32>;\n@compute@workgroup_size(1)fn backward(){gradient[0]=1.0;}\n',
  },
  {
    name: 'a member or swizzle spelled like a module-scope name does not keep it',
    source: `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main(@builtin(global_invocation_id) gid: vec3u) { y[gid. x] = 1.0; }`,
    entries: ['main'],
    expected:
      '@group(0)@binding(1)var<storage,read_write>y:array<f32>;\n' +
      '@compute@workgroup_size(1)fn main(@builtin(global_invocation_id)gid:vec3u){y[gid.x]=1.0;}\n',
  },
  {
    name: 'an override used only by a dropped entry point is dropped',
    source: `override WG: u32 = 64;
override SCALE: f32 = 2.0;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG) fn forward() { y[0] = 1.0; }
@compute @workgroup_size(WG) fn scaled() { y[0] = SCALE; }`,
    entries: ['forward'],
    expected: 'override WG:u32=64;\n@group(0)@binding(0)var<storage,read_write>y:array<f32>;\n@compute@workgroup_size(WG)fn forward(){y[0]=1.0;}\n',
  },
  {
    name: 'directives stay; operators that would fuse keep their space; structs end at } or };',
    source: `diagnostic(off, derivative_uniformity);
struct S { a: i32, b: i32 };
struct T { c: f32 }
@compute @workgroup_size(1) fn main() {
  var s = S(1, 2);
  let c = s.a - -s.b;
  var m: array<i32, 2> = array<i32, 2>(c, c);
  _ = m[0] >= c && !(c > 0);
}`,
    entries: ['main'],
    expected:
      'diagnostic(off,derivative_uniformity);\nstruct S{a:i32,b:i32};\n@compute@workgroup_size(1)fn main(){\nvar s=S(1,2);\n' +
      'let c=s.a- -s.b;\nvar m:array<i32,2> =array<i32,2>(c,c);\n_=m[0]>=c&& !(c>0);\n}\n',
  },
];

const shaderDir = join(repoRoot, 'shaders');
const shaders = readdirSync(shaderDir)
  .filter((name) => name.endsWith('.wgsl'))
  .sort()
  .map((name) => {
    const source = readFileSync(join(shaderDir, name), 'utf8');
    const entries = [...source.matchAll(/@compute[^;{]*?\bfn\s+([A-Za-z_]\w*)/g)].map((m) => m[1]!);
    return { file: `shaders/${name}`, source, entries };
  });
const perEntry = shaders.flatMap(({ file, source, entries }) =>
  entries.map((entry) => ({ file, source, entry, dropped: entries.filter((e) => e !== entry) })),
);

/** Identifier tokens of `code` (numbers first, so the `u` of `1u` is not a name). */
function identifiers(code: string): Set<string> {
  return new Set((code.match(/[0-9][0-9A-Za-z_.]*|[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((t) => !/^[0-9]/.test(t)));
}

describe('pruneWgsl', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await openNodeGpu();
  }, 30_000);
  afterAll(() => gpu?.destroy());

  /**
   * Compiles `code` and builds a compute pipeline for `entryPoint`; returns every compilation error and the
   * validation error of the pipeline, as text (empty when all is well).
   */
  async function compile(code: string, entryPoint: string, constants: Record<string, number>): Promise<string[]> {
    const { device } = gpu;
    const module = device.createShaderModule({ code, label: entryPoint });
    const info = await module.getCompilationInfo();
    const problems = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos}: ${m.message}`);
    device.pushErrorScope('validation');
    device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint, constants } });
    const error = await device.popErrorScope();
    if (error !== null) problems.push(error.message);
    return problems;
  }

  test.each(unitCases)('$name', async ({ source, entries, expected }) => {
    const pruned = pruneWgsl(source, entries, 'case.wgsl');
    expect(pruned).toBe(expected);
    for (const entry of entries) expect(await compile(pruned, entry, {})).toEqual([]);
  });

  test('an unknown entry point throws, naming the file and the entry', () => {
    const source = '@compute @workgroup_size(1) fn forward() {}\nfn helper() {}\n';
    expect(() => pruneWgsl(source, ['backward'], 'shaders/k.wgsl')).toThrowError(
      new Error("shaders/k.wgsl: no entry point 'backward' (entry points: forward)"),
    );
    expect(() => pruneWgsl(source, ['helper'], 'shaders/k.wgsl')).toThrowError(
      new Error("shaders/k.wgsl: no entry point 'helper' (entry points: forward)"),
    );
  });

  test('every shader file has compute entry points', () => {
    expect(shaders.length).toBeGreaterThan(0);
    for (const { file, entries } of shaders) expect(entries, file).not.toEqual([]);
  });

  // Every kernel declares `override WG` and no other override (checked here), so WG is the one constant to give.
  test.each(perEntry)('$file pruned to $entry compiles, without comments or other entry points', async ({ file, source, entry, dropped }) => {
    expect([...source.matchAll(/\boverride\s+(\w+)/g)].map((m) => m[1]), file).toEqual(['WG']);
    const pruned = pruneWgsl(source, [entry], file);
    expect(pruned).not.toContain('//');
    expect(pruned).not.toContain('/*');
    const names = identifiers(pruned);
    expect(dropped.filter((e) => names.has(e))).toEqual([]);
    expect(await compile(pruned, entry, { WG: 64 })).toEqual([]);
  });

  test.each(shaders)('$file pruned to all its entry points compiles', async ({ file, source, entries }) => {
    const pruned = pruneWgsl(source, entries, file);
    expect(pruned).not.toContain('//');
    expect(pruned).not.toContain('/*');
    for (const entry of entries) expect(await compile(pruned, entry, { WG: 64 }), entry).toEqual([]);
  });
});
