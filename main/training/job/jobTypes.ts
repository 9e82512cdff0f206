/** The training process's job descriptions and the messages it exchanges with the app (typed both ways). */
import type { DeviceChoice, ModelEvaluationInfo, TrainingMethod, TrainingProgressInfo } from '../../contract';
import type { PresetName } from '../genseg/presets';
import type { TrainingRecipe } from '../recipe/trainingRecipe';

export interface TrainingOptions {
  method: TrainingMethod;
  preset: PresetName;
  /** Model input [height, width]; slices are fitted into it with their aspect kept. */
  inputSize: [number, number];
  batchSize: number;
  /**
   * How steps are scheduled and batches drawn (recipe/trainingRecipe.ts). GenSeg follows it; the AE baseline takes its
   * share of labelled slices per batch; segmentation-only always trains on labelled slices only.
   */
  recipe: TrainingRecipe;
  augment: boolean;
  seed: number;
  /** Where to train (the user's choice in the Advanced fold); runs recorded before it existed train on 'auto'. */
  device?: DeviceChoice;
  /** The job ends by itself after this many steps or seconds of training (whichever first); undefined = until stopped. */
  maxSteps?: number;
  maxSeconds?: number;
  checkpointEverySeconds: number;
  progressEverySeconds: number;
  /** Validation runs every this many steps (at least once an epoch's worth of steps by default). */
  validateEverySteps?: number;
  /** Segmentation-only trains on the recipe's share of slices tagged absent too (the strong baseline). */
  baselineWithAbsentSlices?: boolean;
  /**
   * The case's sequences used as input channels, by name, in channel order (issue 18); absent or empty: one channel,
   * each case's reference scan. Recorded with the run, so checkpoints and model versions carry the order.
   */
  sequences?: string[];
  /** Keep training in the background: refresh the data as the user annotates, publish versions and proposals. */
  continuous?: { refreshEverySeconds: number; versionEverySeconds: number };
}

export interface TrainJobRequest {
  kind: 'train';
  projectFolder: string;
  runId: string;
  options: TrainingOptions;
  /** Continue from this run folder's checkpoint. */
  resume: boolean;
  /** Start from this model version's weights (its folder, relative to the project), not from scratch. */
  initialWeightsFolder?: string;
}

export interface ProposeJobRequest {
  kind: 'propose';
  projectFolder: string;
  /** The model version's folder, relative to the project folder. */
  weightsFolder: string;
  volumeIds: string[];
}

export type JobRequest = TrainJobRequest | ProposeJobRequest;

export type TrainingProgress = TrainingProgressInfo;
export type ModelEvaluation = ModelEvaluationInfo;

export interface TrainingResult {
  /** Folder (relative to the project) holding the best weights. */
  weightsFolder: string;
  step: number;
  bestStep: number;
  evaluation: ModelEvaluation;
  dataSnapshot: Record<string, number>;
  backend: string;
  parameters: Record<string, number>;
}

export interface VolumeProposal {
  volumeId: string;
  /**
   * File (relative to the project folder) holding the zlib-compressed thresholded labelmap in the volume's own grid.
   * Volumes do not travel through the IPC channel: large messages there have been seen to drop the channel.
   */
  labelsFile: string;
  /** Predicted tumour area per slice, mm². */
  sliceAreas: number[];
}

export type WorkerMessage =
  | {
      type: 'started';
      /** The backend candidate chosen ('webgpu', 'wasm', ...), as runs and model versions record it. */
      backend: string;
      /** What trains, for people: "NVIDIA GeForce RTX 4070, WebGPU over Vulkan". */
      description: string;
      skippedBackends: { candidate: string; reason: string }[];
    }
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'checkpoint'; step: number }
  | { type: 'log'; line: string }
  | { type: 'trained'; result: TrainingResult }
  /** A model version published while training goes on (continuous training). */
  | { type: 'version'; result: TrainingResult }
  | { type: 'proposal'; proposal: VolumeProposal; done: number; total: number }
  | { type: 'proposed' }
  | { type: 'failed'; code: string; message: string };

