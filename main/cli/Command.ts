import type { AppCore } from '../app';

export interface CommandContext {
  /** Created on first use so that `--help` never touches the workspace. */
  core(): AppCore;
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. */
  run(args: string[], context: CommandContext): Promise<number>;
}

/** Exit codes of the CLI, stable for scripts. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3
} as const;
