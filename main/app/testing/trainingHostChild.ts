/**
 * A host process for the orphan test: creates a small project, starts training through the core as the web host
 * would, and prints the training process's pid once it reports progress. The test then kills this process with
 * SIGKILL, as a crash or `kill -9` would.
 */
import { createLesionProject } from '../../training/testing';
import { createAppCore } from '../createAppCore';

const workspaceFolder = process.argv[2];
if (!workspaceFolder) throw new Error('usage: trainingHostChild WORKSPACE');
const core = createAppCore({
  workspaceFolder,
  logger: { info: () => {}, error: (message, error) => console.error(message, error) }
});
const { projectId } = await createLesionProject(core, { volumes: 4, size: 32, slices: 10, maskedSlicesPerVolume: 2 });
let reported = false;
core.events.subscribe((name) => {
  if (name !== 'onDidTrainingProgress' || reported) return;
  reported = true;
  const status = core.jobs.current?.status;
  process.stdout.write(
    `${JSON.stringify({ workerPid: core.jobs.current?.worker?.pid, projectId, runId: status?.runId })}\n`
  );
});
await core.training.startTraining(projectId, {
  preset: 'tiny',
  inputSize: [32, 32],
  batchSize: 2,
  untilStopped: true,
  checkpointEverySeconds: 1
});
