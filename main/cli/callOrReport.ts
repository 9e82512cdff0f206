import { ApiError, type CallInput, type CallName, type CallResult } from '../contract';
import { exitCodes, type CommandContext } from './Command';

/** Runs one API call through the same dispatcher as the hosts and prints its result (text or JSON). */
export async function callOrReport<N extends CallName>(
  context: CommandContext,
  name: N,
  input: CallInput<N>,
  formatText: (result: CallResult<N>) => string
): Promise<number> {
  const outcome = await context.core().dispatch(name, input, { host: 'cli' });
  if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
  const result = outcome.result as CallResult<N>;
  context.out(context.json ? `${JSON.stringify(result)}\n` : `${formatText(result)}\n`);
  return exitCodes.ok;
}

/** Runs one API call through the dispatcher and returns its result; a refusal becomes the ApiError it was. */
export async function dispatchOrThrow<N extends CallName>(context: CommandContext, name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await context.core().dispatch(name, input, { host: 'cli' });
  if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
  return outcome.result as CallResult<N>;
}

/** Accepts a project id or its exact name. */
export async function resolveProject(context: CommandContext, idOrName: string): Promise<string> {
  const projects = await context.core().workspace.listProjects();
  const match = projects.find((project) => project.id === idOrName) ?? projects.filter((project) => project.name === idOrName)[0];
  if (!match) throw new ApiError('not-found', `No project with id or name "${idOrName}" in this workspace.`);
  await context.core().workspace.openProject(match.id);
  return match.id;
}
