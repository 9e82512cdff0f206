/**
 * Owns every tf.Variable of one model: trainable parameters and persistent buffers (spectral-norm vectors). Paths are
 * relative ("encoder/block1/conv/weight") so checkpoints do not depend on the process; the tfjs names get a per-model
 * prefix because tfjs refuses two variables with the same name in one process.
 */
import { tf, type Tensor, type Variable } from '../../tf';
import type { Random } from '../../../common';

export interface RegisteredVariable {
  path: string;
  variable: Variable;
  trainable: boolean;
}

let modelCounter = 0;

export class VariableRegistry {
  readonly entries: RegisteredVariable[] = [];
  private readonly prefix: string;

  constructor(readonly random: Random) {
    modelCounter += 1;
    this.prefix = `model${modelCounter}`;
  }

  scope(path: string): VariableScope {
    return new VariableScope(this, path);
  }

  /** Takes ownership of `initial` (it becomes the variable's value). */
  add(path: string, initial: Tensor, trainable: boolean): Variable {
    if (this.entries.some((entry) => entry.path === path)) throw new Error(`duplicate variable ${path}`);
    const variable = tf.variable(initial, trainable, `${this.prefix}/${path}`);
    initial.dispose();
    this.entries.push({ path, variable, trainable });
    return variable;
  }

  /** Trainable variables whose path starts with one of `scopes`. */
  trainableIn(scopes: readonly string[]): Variable[] {
    return this.entries
      .filter((entry) => entry.trainable && scopes.some((scope) => entry.path.startsWith(`${scope}/`)))
      .map((entry) => entry.variable);
  }

  /** Number of trainable parameters under `scope` (all when omitted). */
  countParameters(scope?: string): number {
    return this.entries
      .filter((entry) => entry.trainable && (scope === undefined || entry.path.startsWith(`${scope}/`)))
      .reduce((sum, entry) => sum + entry.variable.size, 0);
  }

  pathOf(variable: Variable): string {
    const entry = this.entries.find((candidate) => candidate.variable === variable);
    if (!entry) throw new Error(`variable ${variable.name} is not in this registry`);
    return entry.path;
  }

  dispose(): void {
    for (const entry of this.entries) entry.variable.dispose();
    this.entries.length = 0;
  }
}

export class VariableScope {
  constructor(
    readonly registry: VariableRegistry,
    readonly path: string
  ) {}

  child(name: string): VariableScope {
    return new VariableScope(this.registry, `${this.path}/${name}`);
  }

  get random(): Random {
    return this.registry.random;
  }

  add(name: string, values: Float32Array, shape: number[], trainable = true): Variable {
    return this.registry.add(`${this.path}/${name}`, tf.tensor(values, shape, 'float32'), trainable);
  }
}
