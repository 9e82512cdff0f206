/**
 * Saves and restores everything the next training step depends on: parameters, spectral-norm vectors, optimizer
 * moments and per-parameter step counts, the random generator's state and the step counter. The result is a JSON
 * manifest plus one float32 blob; where they are stored is the caller's business.
 */
import { tf, type Variable } from '../tf';
import type { VariableRegistry } from '../genseg/layers/variableRegistry';
import type { Random } from '../../common';
import type { AmsGrad } from '../optim/amsGrad';
import type { Checkpoint, CheckpointManifest } from '../trainingTypes';

export interface CheckpointParts {
  model: string;
  config: unknown;
  step: number;
  random: Random;
  registry: VariableRegistry;
  optimizers: Record<string, AmsGrad>;
}

interface NamedVariable {
  name: string;
  variable: Variable;
}

export async function writeCheckpoint(parts: CheckpointParts): Promise<Checkpoint> {
  const named: NamedVariable[] = parts.registry.entries.map((entry) => ({ name: `variable:${entry.path}`, variable: entry.variable }));
  const optimizerSteps: Record<string, number> = {};
  for (const [optimizerName, optimizer] of Object.entries(parts.optimizers)) {
    for (const [variable, slot] of optimizer.slots) {
      const key = `${optimizerName}:${parts.registry.pathOf(variable)}`;
      optimizerSteps[key] = slot.step;
      named.push({ name: `first:${key}`, variable: slot.firstMoment });
      named.push({ name: `second:${key}`, variable: slot.secondMoment });
      named.push({ name: `max:${key}`, variable: slot.maxSecondMoment });
    }
  }
  const total = named.reduce((sum, item) => sum + item.variable.size, 0);
  const data = new Float32Array(total);
  const tensors: CheckpointManifest['tensors'] = [];
  // All reads at once: on a GPU backend each read waits for the device, and together they share one wait.
  const values = await Promise.all(named.map((item) => item.variable.data()));
  let offset = 0;
  for (const [index, item] of named.entries()) {
    data.set(values[index] as Float32Array, offset);
    tensors.push({ name: item.name, shape: [...item.variable.shape], offset, length: item.variable.size });
    offset += item.variable.size;
  }
  const manifest: CheckpointManifest = {
    format: 'genseg-workstation-checkpoint',
    version: 1,
    model: parts.model,
    config: parts.config,
    step: parts.step,
    randomState: parts.random.getState(),
    tensors,
    optimizerSteps
  };
  return { manifest, data: data.buffer };
}

/** Restores `checkpoint` into `parts` (same model and config) and returns the saved step count. */
export function readCheckpoint(parts: CheckpointParts, checkpoint: Checkpoint): number {
  const { manifest } = checkpoint;
  if (manifest.format !== 'genseg-workstation-checkpoint' || manifest.version !== 1) throw new Error('not a checkpoint of this format');
  if (manifest.model !== parts.model) throw new Error(`checkpoint is for ${manifest.model}, not ${parts.model}`);
  if (JSON.stringify(manifest.config) !== JSON.stringify(parts.config)) throw new Error('checkpoint config differs from this model');
  const values = new Float32Array(checkpoint.data);
  const byName = new Map(manifest.tensors.map((t) => [t.name, values.subarray(t.offset, t.offset + t.length)]));
  const take = (name: string): Float32Array => {
    const found = byName.get(name);
    if (!found) throw new Error(`checkpoint lacks ${name}`);
    return found;
  };
  for (const entry of parts.registry.entries) {
    assignValues(entry.variable, take(`variable:${entry.path}`));
  }
  const variablesByPath = new Map(parts.registry.entries.map((entry) => [entry.path, entry.variable]));
  for (const [optimizerName, optimizer] of Object.entries(parts.optimizers)) {
    optimizer.dispose();
    for (const [key, step] of Object.entries(manifest.optimizerSteps)) {
      if (!key.startsWith(`${optimizerName}:`)) continue;
      const variable = variablesByPath.get(key.slice(optimizerName.length + 1));
      if (!variable) throw new Error(`checkpoint has optimizer state for unknown ${key}`);
      optimizer.setSlot(variable, { first: take(`first:${key}`), second: take(`second:${key}`), max: take(`max:${key}`), step });
    }
  }
  parts.random.setState(manifest.randomState);
  return manifest.step;
}

function assignValues(variable: Variable, values: Float32Array): void {
  // tidy releases the temporary tensor; the variable keeps its data.
  tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
}
