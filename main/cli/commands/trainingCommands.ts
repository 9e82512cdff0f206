import { parseArgs } from 'node:util';
import { deviceChoices, type DeviceChoice, type EventPayload, type TrainingEventInfo } from '../../contract';
import { exitCodes, type Command } from '../Command';
import { callOrReport, resolveProject } from '../callOrReport';


export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model on the project (GenSeg by default) and save it as a new model version',
  usage: 'train --project ID|NAME [--method genseg|segmentation-only|ae-segmentation] [--preset cpu|tiny|paper] [--device auto|gpu|cpu] [--minutes N | --steps N] [--paper-recipe] [--continuous] [--resume RUN]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        project: { type: 'string' },
        method: { type: 'string' },
        preset: { type: 'string' },
        device: { type: 'string' },
        minutes: { type: 'string' },
        steps: { type: 'string' },
        'paper-recipe': { type: 'boolean' },
        // Keeps training until Ctrl-C, re-reading the project's tags and masks every minute (another app may edit it).
        continuous: { type: 'boolean' },
        resume: { type: 'string' }
      }
    });
    if (!values.project || (values.device !== undefined && !deviceChoices.includes(values.device as DeviceChoice))) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const limits = {
      ...(values.minutes ? { maxSeconds: Number(values.minutes) * 60 } : {}),
      ...(values.steps ? { maxSteps: Number(values.steps) } : {})
    };
    const ended = context.core().events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
    const stopOnInterrupt = () => void context.core().dispatch('stopTraining', {}, { host: 'cli' });
    process.once('SIGINT', stopOnInterrupt);
    let announced = false;
    const unsubscribe = context.core().events.subscribe((name, payload) => {
      if (name !== 'onDidTrainingProgress' || context.json) return;
      const { progress } = payload as EventPayload<'onDidTrainingProgress'>;
      if (!announced) context.err(`training on ${progress.backend}\n`);
      announced = true;
      const dice = progress.validationDice === null ? '' : `  validation Dice ${progress.validationDice.toFixed(3)}`;
      // GenSeg's generator loss once joint steps run; before them (the warm start) its segmentation steps' Dice loss.
      const { generator, total, segmentationOnly } = progress.losses;
      const loss = generator ?? total ?? segmentationOnly;
      const lossText = loss === undefined ? '' : `  loss ${loss.toFixed(3)}`;
      context.err(`step ${progress.step}${lossText}  ${progress.stepsPerSecond.toFixed(2)} steps/s on ${progress.backend}${dice}\n`);
    });
    const input = values.resume
      ? { projectId, runId: values.resume, ...limits }
      : {
          projectId,
          ...limits,
          ...(values.method ? { method: values.method as 'genseg' } : {}),
          ...(values.preset ? { preset: values.preset as 'cpu' } : {}),
          ...(values['paper-recipe'] ? { paperRecipe: true } : {}),
          ...(values.continuous ? { continuous: true } : {}),
          ...(values.device ? { device: values.device as DeviceChoice } : {})
        };
    const outcome = await context.core().dispatch(values.resume ? 'resumeTraining' : 'startTraining', input, { host: 'cli' });
    if (!outcome.ok) {
      unsubscribe();
      process.removeListener('SIGINT', stopOnInterrupt);
      context.err(context.json ? `${JSON.stringify(outcome.error)}\n` : `error: ${outcome.error.message}\n`);
      return exitCodes.failure;
    }
    const event: TrainingEventInfo = await ended;
    unsubscribe();
    process.removeListener('SIGINT', stopOnInterrupt);
    await context.core().jobs.whenIdle();
    const versions = await context.core().dispatch('listModelVersions', { projectId }, { host: 'cli' });
    const latest = versions.ok ? (versions.result as { id: string; number: number }[]).at(-1) : undefined;
    context.out(context.json ? `${JSON.stringify({ ...event, modelVersion: latest ?? null })}\n` : `${event.status}\t${event.message ?? ''}\n`);
    return event.status === 'finished' || event.status === 'stopped' ? exitCodes.ok : exitCodes.failure;
  }
};

export const proposeCommand: Command = {
  name: 'propose',
  summary: 'Propose masks with a model version for the volumes that have none (or the ones named)',
  usage: 'propose --project ID|NAME [--model VERSION_ID|latest] [--volume ID ...]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { project: { type: 'string' }, model: { type: 'string' }, volume: { type: 'string', multiple: true } }
    });
    if (!values.project) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const versions = await context.core().dispatch('listModelVersions', { projectId }, { host: 'cli' });
    const list = versions.ok ? (versions.result as { id: string }[]) : [];
    const modelVersionId = !values.model || values.model === 'latest' ? list.at(-1)?.id : values.model;
    if (!modelVersionId) {
      context.err('error: this project has no model version yet; run `train` first.\n');
      return exitCodes.failure;
    }
    const code = await callOrReport(
      context,
      'proposeMasks',
      { projectId, modelVersionId, ...(values.volume ? { volumeIds: values.volume } : {}) },
      (result) => `proposing for ${result.volumeIds.length} volume(s)`
    );
    await context.core().jobs.whenIdle();
    return code;
  }
};
