import type { TrainingStatus } from '../contract';

/** The status shown when no job runs. */
export function idleTrainingStatus(): TrainingStatus {
  return {
    state: 'idle',
    projectId: null,
    runId: null,
    method: null,
    preset: null,
    recipe: null,
    backend: null,
    progress: null,
    lastLines: []
  };
}

const maximumLogLines = 50;

/** Keeps the last lines of a job's log in its status. */
export function appendLogLine(status: TrainingStatus, line: string): void {
  status.lastLines = [...status.lastLines, line].slice(-maximumLogLines);
}
