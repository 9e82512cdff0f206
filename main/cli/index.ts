/**
 * `npm run cli -- <command>`: the workstation without a window, for scripts and servers. Every command goes through the
 * same core and API dispatcher as the app. Output is text by default and JSON with --json; exit codes are in Command.ts.
 */
import { resolve } from 'node:path';
import { ApiError } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { exitCodes, type Command, type CommandContext } from './Command';
import { exportCommand, importMaskCommand, tagCommand } from './commands/annotationCommands';
import { demoCommand } from './commands/demoCommand';
import { importCommand, projectsCommand, volumesCommand } from './commands/projectCommands';
import { acceptCommand, modelsCommand, proposalsCommand, rejectCommand, statusCommand } from './commands/reviewCommands';
import { suggestCommand } from './commands/suggestCommand';
import { channelsCommand, sequencesCommand } from './commands/sequenceCommands';
import { proposeCommand, trainCommand } from './commands/trainingCommands';

export const commands: Command[] = [
  projectsCommand,
  importCommand,
  volumesCommand,
  sequencesCommand,
  channelsCommand,
  tagCommand,
  importMaskCommand,
  trainCommand,
  modelsCommand,
  proposeCommand,
  proposalsCommand,
  acceptCommand,
  rejectCommand,
  suggestCommand,
  exportCommand,
  statusCommand,
  demoCommand
];

function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'GenSeg Workstation command line',
    '',
    'usage: npm run cli -- [--workspace DIR] [--json] <command> [options]',
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `npm run cli -- <command> --help` for the options of a command.',
    'Exit codes: 0 ok, 1 failure, 2 usage error, 3 some input could not be used.'
  ].join('\n');
}

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };

export async function runCli(argv: string[], io: CliOutput = processOutput): Promise<number> {
  const args = [...argv];
  let workspaceFolder: string | undefined;
  let json = false;
  while (args[0]?.startsWith('--')) {
    const flag = args.shift();
    if (flag === '--workspace') workspaceFolder = resolve(args.shift() ?? '.');
    else if (flag === '--json') json = true;
    else if (flag === '--help') args.unshift('help');
    else {
      io.err(`unknown option ${flag}\n${helpText()}\n`);
      return exitCodes.usage;
    }
  }
  const name = args.shift() ?? 'help';
  if (name === 'help') {
    io.out(`${helpText()}\n`);
    return exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${helpText()}\n`);
    return exitCodes.usage;
  }
  if (args.includes('--help')) {
    io.out(`usage: npm run cli -- ${command.usage}\n\n${command.summary}\n`);
    return exitCodes.ok;
  }
  let core: AppCore | undefined;
  const context: CommandContext = {
    core: () => (core ??= createAppCore(workspaceFolder ? { workspaceFolder } : {})),
    json,
    out: io.out,
    err: io.err
  };
  try {
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof ApiError) {
      io.err(json ? `${JSON.stringify(error.toJSON())}\n` : `error: ${error.message}\n`);
      return error.code === 'invalid-input' ? exitCodes.usage : exitCodes.failure;
    }
    if (error instanceof TypeError && /parseArgs|Unknown option|ERR_PARSE_ARGS/.test(String((error as { code?: string }).code ?? error.message))) {
      io.err(`${error.message}\nusage: npm run cli -- ${command.usage}\n`);
      return exitCodes.usage;
    }
    throw error;
  } finally {
    await core?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main/cli/index.ts')) {
  process.exitCode = await runCli(process.argv.slice(2));
}
