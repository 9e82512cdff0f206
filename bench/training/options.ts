import { resolveRecipe, type TrainingRecipe } from '../../main/training/recipe/trainingRecipe';

/** `--key value` / `--flag` command-line options for the benches. */
export function parseOptions(args: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) continue;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options.set(arg.slice(2), next);
      i++;
    } else {
      options.set(arg.slice(2), 'true');
    }
  }
  return options;
}

export function readNumber(options: Map<string, string>, key: string, fallback: number): number {
  const value = options.get(key);
  return value === undefined ? fallback : Number(value);
}

export function readList(options: Map<string, string>, key: string, fallback: string[]): string[] {
  const value = options.get(key);
  return value === undefined ? fallback : value.split(',').filter(Boolean);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The laptop recipe with the overrides given on the command line: --warm, --seg-per-joint, --joint-labelled,
 * --joint-seg-weight, --seg-absent.
 */
export function readLaptopRecipe(options: Map<string, string>): TrainingRecipe {
  const overrides: Partial<Omit<TrainingRecipe, 'name'>> = {};
  if (options.has('warm')) overrides.warmStartSteps = readNumber(options, 'warm', 0);
  if (options.has('seg-per-joint')) overrides.segmentationStepsPerJointStep = readNumber(options, 'seg-per-joint', 0);
  if (options.has('joint-labelled')) overrides.labelledFractionPerJointBatch = readNumber(options, 'joint-labelled', 0);
  if (options.has('joint-seg-weight')) overrides.jointSegmentationWeight = readNumber(options, 'joint-seg-weight', 0);
  // The brains bench takes a list here (one run per value); the recipe carries the first.
  if (options.has('seg-absent'))
    overrides.absentFractionPerSegmentationBatch = Number(readList(options, 'seg-absent', ['0'])[0]);
  return resolveRecipe('laptop', overrides);
}

/** The methods the training benches compare: GenSeg with each recipe, and the paper's two baselines. */
export type BenchMethod = 'genseg' | 'genseg-paper' | 'segmentation-only' | 'ae-segmentation';

export const benchMethodNames: Record<BenchMethod, string> = {
  genseg: 'GenSeg, laptop recipe',
  'genseg-paper': 'GenSeg, paper recipe',
  'segmentation-only': 'Only segmentation',
  'ae-segmentation': 'AE baseline'
};

/** What every training sweep reads: --batch, --seeds, --models, --tag and the laptop-recipe overrides. */
export function readSweepOptions(options: Map<string, string>): {
  batchSize: number;
  seeds: number[];
  methods: BenchMethod[];
  tag: string;
  laptop: TrainingRecipe;
} {
  return {
    batchSize: readNumber(options, 'batch', 8),
    seeds: readList(options, 'seeds', ['1']).map(Number),
    methods: readList(options, 'models', Object.keys(benchMethodNames)) as BenchMethod[],
    tag: options.get('tag') ?? String(Date.now()),
    laptop: readLaptopRecipe(options)
  };
}
