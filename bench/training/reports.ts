import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the benches write their JSON and plots (git-ignored). */
export const resultsFolder = join(import.meta.dirname, '..', 'results');

/** The JSON reports `bench/results/<bench>-<tag>.json` of runs made separately, to be merged into one table. */
export function readReports<Report>(bench: string, tags: string[]): Report[] {
  return tags.map((tag) => JSON.parse(readFileSync(join(resultsFolder, `${bench}-${tag}.json`), 'utf8')) as Report);
}
