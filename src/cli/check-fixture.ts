import { openBackend } from '../platform/node/backends.ts';
import { MsseError, UsageError } from '../errors.ts';
import { readFixture } from '../platform/node/fixture.ts';
import { checkFixture, type CheckResult } from '../check/golden-check.ts';
import { backendOption, threadsOption, type Command } from './command.ts';

/** Some group of a golden check is past its tolerance (the lines above it say which). */
export class CheckFailedError extends MsseError {}

/** `group  worst  tolerance  worst-tensor  ok|FAIL`, one line per group. */
export function formatCheck(result: CheckResult): string[] {
  return [
    `${result.title} — backend ${result.backend}`,
    ...result.groups.map(
      (g) =>
        `${g.name.padEnd(12)} ${g.worst.toExponential(2).padStart(9)}  tol ${g.tolerance.toExponential(1)}  ` +
        `${g.ok ? 'ok  ' : 'FAIL'}  ${g.worstTensor} (${g.metric}, ${g.tensors} tensors)`,
    ),
  ];
}

export const checkFixtureCommand: Command = {
  name: 'check-fixture',
  summary: 'run a golden fixture (forward, backward, one Adam step) and print the worst error per group',
  help: [
    'usage: msse check-fixture DIR [--backend reference|webgpu|wasm [--threads N]] [--json]',
    '',
    'Loads a golden fixture in the msse-golden-v1 format (DIR/manifest.json + raw .bin tensors), runs one',
    'training-mode forward with dropout off, the label-smoothed loss, backward, the BatchNorm running update and',
    'one Adam step, and compares every stored tensor: e = max|got - ref| / max|ref| per tensor (absolute for',
    'grad-zero and step1 groups), the worst per group against the tolerances of ../shared/golden/README.md.',
    'Exits non-zero when any group is past its tolerance.',
    '',
    'options:',
    '  --backend NAME   reference (float64, the specification), webgpu or wasm; default reference',
    "  --threads N      the wasm backend's threads, 1 to 16 (default: the cores, up to 4)",
    '  --json           print the result as one JSON object instead of lines',
  ].join('\n'),
  options: { backend: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },

  async run(args, io) {
    const [dir, ...extra] = args.positionals;
    if (dir === undefined || extra.length > 0) throw new UsageError('check-fixture: expected exactly one fixture DIR');
    const fixture = await readFixture(dir);
    const backend = backendOption(args, 'reference');
    const open = await openBackend(backend, { threads: threadsOption(args, backend) });
    let result: CheckResult;
    try {
      result = await checkFixture(fixture, open.backend);
    } finally {
      open.close();
    }
    if (args.values.json === true) io.out(JSON.stringify(result));
    else formatCheck(result).forEach((line) => io.out(line));
    const failed = result.groups.filter((g) => !g.ok).map((g) => g.name);
    if (failed.length > 0) {
      throw new CheckFailedError(`${failed.length} of ${result.groups.length} groups past tolerance: ${failed.join(', ')}`, { file: dir });
    }
  },
};
