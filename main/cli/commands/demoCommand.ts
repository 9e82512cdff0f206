import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDemoSeed, demoMethods, runDemo } from '../../demo';
import { exitCodes, type Command } from '../Command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Build the sample project (real brains, synthetic lesions), train GenSeg and two baselines, propose, score and export',
  usage:
    'demo [--out DIR] [--minutes N per method, default 6 | --steps N per method] [--masks FRACTION of tumour slices, default 0.03] [--seed N, default 7] [--methods genseg,segmentation-only,segmentation-only+absent] [--sequences T1,T1c,T2,FLAIR[/FLAIR/…]: more sets after a slash, trained on the same project]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        minutes: { type: 'string' },
        steps: { type: 'string' },
        masks: { type: 'string' },
        seed: { type: 'string' },
        methods: { type: 'string' },
        sequences: { type: 'string' }
      }
    });
    // Multi-sequence cases (synthetic T1, T1c, T2, FLAIR of the same brains); the named ones are the channels, in order.
    const sequenceSets = (values.sequences ?? '')
      .split('/')
      .map((set) => set.split(',').map((name) => name.trim()).filter(Boolean))
      .filter((set) => set.length > 0);
    const sequences = sequenceSets[0];
    const minutes = Number(values.minutes ?? 6);
    const maskFraction = Number(values.masks ?? 0.03);
    const steps = values.steps === undefined ? undefined : Number(values.steps);
    const seed = Number(values.seed ?? defaultDemoSeed);
    const methodNames = values.methods?.split(',').map((name) => name.trim().replace(/\s*\+\s*/, ' + '));
    const methods = methodNames ? demoMethods.filter((method) => methodNames.includes(method.name)) : demoMethods;
    if (
      !(minutes > 0) ||
      !(maskFraction > 0 && maskFraction <= 1) ||
      (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) ||
      !(Number.isInteger(seed) && seed >= 0) ||
      methods.length !== (methodNames?.length ?? demoMethods.length)
    ) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    let lastDraw = 0;
    const report = await runDemo(context.core(), {
      ...(values.out ? { outFolder: resolve(values.out) } : {}),
      minutesPerMethod: minutes,
      ...(steps ? { stepsPerMethod: steps } : {}),
      seed,
      maskFraction,
      methods,
      ...(sequences?.length ? { sequences, moreSequenceSets: sequenceSets.slice(1) } : {}),
      report: (line) => context.err(`${line}\n`),
      progress: (fraction, label) => {
        const now = Date.now();
        if (now - lastDraw < 500 && fraction < 1) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(Math.min(1, fraction) * width);
        context.err(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${label.slice(0, 90).padEnd(90)}`);
        if (fraction >= 1) context.err('\n');
      }
    });
    if (context.json) {
      context.out(`${JSON.stringify(report)}\n`);
      return exitCodes.ok;
    }
    const cell = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
    const width = Math.max(26, ...report.scores.map((score) => score.method.length));
    const rows = report.scores.map(
      (score) =>
        `| ${score.method.padEnd(width)} | ${score.meanDice.toFixed(3)}     | ${score.pooledDice.toFixed(3)}       | ${cell(score.unannotatedDice).padEnd(17)} | ${score.falseVoxelsPerHealthyScan.toFixed(0).padStart(12)} | ${cell(score.validationDice).padEnd(15)} | ${`${score.steps ?? '?'} (${score.bestStep ?? '?'})`.padEnd(12)} |`
    );
    context.out(
      [
        '',
        `GenSeg Workstation demo: ${report.cases} scans, ${report.tumourSlices} tumour slices, ${report.maskedSlices} with a drawn mask, ${steps ? `${steps} steps` : `${minutes} min`} of training per method, seed ${seed}`,
        '',
        `| ${'method'.padEnd(width)} | mean Dice | pooled Dice | unannotated Dice  | false voxels | validation Dice | steps (kept) |`,
        `| ${'-'.repeat(width)} | --------- | ----------- | ----------------- | ------------ | --------------- | ------------ |`,
        ...rows,
        '',
        `Dice is 3D, against the exact synthetic lesions, over the ${report.cases} scans' proposals; unannotated: pooled over the lesion scans nobody drew on;`,
        'false voxels: per scan without a lesion; validation: the model version\'s own held-out Dice on masked slices (n/a when none were held out);',
        'steps: trained, and (kept) the step whose weights the model version holds (its best held-out score).',
        '"segmentation-only + absent" is the strong baseline: the same slices tagged absent, as empty masks, that GenSeg gets (docs/decisions.md, 18).',
        'The paper (Vorontsov et al. 2019) reports its method comparison on cluttered MNIST and BraTS, not on these brains: npm run bench -- mnist reproduces the first.',
        `Time: ${(report.seconds / 60).toFixed(1)} min. Project: ${report.projectFolder}`,
        `Files written under ${report.exportFolder}: ${report.files.length} (proposals per method, drawn masks, truth).`,
        ''
      ].join('\n')
    );
    return exitCodes.ok;
  }
};
