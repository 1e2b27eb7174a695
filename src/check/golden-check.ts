import { FixtureError, invariant } from '../errors.ts';
import { msseForward, msseLoss } from '../model/msse.ts';
import { bufferSpecs, paramSpecs } from '../model/params.ts';
import { adamStep } from '../ops/adam.ts';
import type { Backend } from '../runtime/backend.ts';
import { ParamStore } from '../runtime/params.ts';
import { Tape } from '../runtime/tape.ts';
import { OP_GRADIENTS } from '../ops/gradients.ts';
import { formatShape, sameShape, type Tensor } from '../runtime/tensor.ts';
import { goldenGroups, GroupTable, maxAbs, maxAbsDiff, relativeError, step1Bands, type GroupResult } from './compare.ts';
import type { Fixture, FixtureTensor } from '../io/fixture.ts';

export interface CheckResult {
  readonly fixture: string;
  readonly title: string;
  readonly backend: string;
  readonly groups: readonly GroupResult[];
  readonly ok: boolean;
}

/**
 * The golden protocol (../shared/golden/README.md): from the stored parameters and input, one training-mode
 * forward with dropout off (BatchNorm on batch statistics, running statistics updated once), the label-smoothed
 * loss, backward, and one Adam step (t = 1) — once on the stored gradients (the update rule alone) and once on our
 * own (end to end, by gradient band). Every stored output, activation, gradient, running statistic and step1
 * parameter is compared; nothing in the fixture is skipped, and a tensor the model cannot produce is a FixtureError.
 */
export async function checkFixture(fx: Fixture, backend: Backend): Promise<CheckResult> {
  const manifest = `${fx.dir}/manifest.json`;
  const need = (name: string): FixtureTensor => {
    const t = fx.tensors.get(name);
    if (t === undefined) throw new FixtureError(`no tensor '${name}', which the model needs`, { file: manifest });
    return t;
  };
  const upload = (name: string, expected = need(name).shape): Tensor => {
    const t = need(name);
    if (!sameShape(t.shape, expected)) {
      throw new FixtureError(`tensor '${name}' has shape ${formatShape(t.shape)}, the model expects ${formatShape(expected)}`, { file: manifest });
    }
    return backend.upload(t.data, t.shape, name);
  };

  const cfg = fx.config;
  const specs = paramSpecs(cfg);
  const known = new Set([...specs, ...bufferSpecs(cfg)].map((s) => s.name));
  for (const t of fx.tensors.values()) {
    if ((t.kind === 'param' || t.kind === 'buffer') && !known.has(t.name)) {
      throw new FixtureError(`${t.kind} '${t.name}' is not part of the model the config describes`, { file: manifest });
    }
  }
  const store = new ParamStore();
  for (const s of specs) store.addParam(s.name, upload(s.name, s.shape));
  for (const s of bufferSpecs(cfg)) store.addBuffer(s.name, upload(s.name, s.shape));

  const tape = new Tape(backend, OP_GRADIENTS);
  const { logits, activations } = msseForward(tape, cfg, store, upload('x'), { training: true, concatenatedSites: true });
  const { loss, probs, target } = msseLoss(tape, cfg, logits, need('labels').data);
  const grads = tape.backward(loss, { retain: [...activations.values(), logits] });

  const table = new GroupTable(goldenGroups(cfg.adam.lr));
  const compare = async (group: 'output' | 'act' | 'gradact' | 'grad' | 'bn-mean' | 'bn-var', name: string, got: Tensor) => {
    const ref = need(name);
    if (!sameShape(got.shape, ref.shape)) {
      throw new FixtureError(`tensor '${name}' has shape ${formatShape(ref.shape)}, the model computes ${formatShape(got.shape)}`, { file: manifest });
    }
    table.add(group, name, relativeError(await backend.read(got), ref.data));
  };
  const site = (name: string, prefix: string): Tensor => {
    const t = name === 'gradact.logits' ? logits : activations.get(name.slice(prefix.length));
    if (t === undefined) throw new FixtureError(`'${name}' is not an activation site of the model`, { file: manifest });
    return t;
  };
  const gradOf = (t: Tensor): Tensor => {
    const g = grads.get(t);
    invariant(g !== undefined, `no gradient reached ${t.name ?? 'a tensor'}`);
    return g;
  };

  await compare('output', 'logits', logits);
  await compare('output', 'probs', probs);
  await compare('output', 'loss', loss);
  await compare('output', 'target', target);
  for (const t of fx.tensors.values()) {
    if (t.kind === 'activation') await compare('act', t.name, site(t.name, 'act.'));
    if (t.kind === 'activation_grad') await compare('gradact', t.name, gradOf(site(t.name, 'gradact.')));
    if (t.kind === 'bn_after_forward') {
      await compare(t.name.endsWith('.running_var') ? 'bn-var' : 'bn-mean', t.name, store.buffer(t.name.slice('bn.'.length)));
    }
  }

  for (const s of specs) {
    const ownGrad = gradOf(store.param(s.name));
    const zeroGrad = fx.analyticallyZeroGrad.has(s.name);
    const gradRef = need(`grad.${s.name}`);
    if (zeroGrad) table.add('grad-zero', `grad.${s.name}`, maxAbs(await backend.read(ownGrad)));
    else await compare('grad', `grad.${s.name}`, ownGrad);

    const stepRef = need(`step1.${s.name}`).data;
    const zeros = new Float64Array(gradRef.data.length);
    // 1. The update rule alone: stored parameters and stored gradients.
    const param = upload(s.name, s.shape);
    adamStep(backend, param, upload(gradRef.name, s.shape), backend.upload(zeros, s.shape), backend.upload(zeros, s.shape), cfg.adam, 1);
    table.add('step1-rule', `step1.${s.name}`, maxAbsDiff(await backend.read(param), stepRef));
    // 2. End to end: the model's own parameters and gradients, compared per band of |g_ref|.
    const own = store.param(s.name);
    adamStep(backend, own, ownGrad, backend.upload(zeros, s.shape), backend.upload(zeros, s.shape), cfg.adam, 1);
    const bands = step1Bands(await backend.read(own), stepRef, gradRef.data, zeroGrad);
    for (const [band, e] of Object.entries(bands)) table.add(band as 'step1-large', `step1.${s.name}`, e);
  }

  const groups = table.results();
  return { fixture: fx.dir, title: fx.title, backend: backend.name, groups, ok: groups.every((g) => g.ok) };
}
