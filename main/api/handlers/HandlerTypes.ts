import type { CallName, CallResult, ParsedCallInput } from '../contract';
import type { EventBus } from '../EventBus';
import type { DicomImportJobs, Workspace } from '../../project';
import type { TrainingJobManager } from '../../training/TrainingJobManager';

export interface CallContext {
  host: 'electron' | 'web';
}

export type Handler<N extends CallName> = (input: ParsedCallInput<N>, context: CallContext) => Promise<CallResult<N>>;

export type HandlersFor<Names extends CallName> = { [N in Names]: Handler<N> };

export interface CoreServices {
  workspace: Workspace;
  events: EventBus;
  appVersion: string;
  training: TrainingJobManager;
  dicomImports: DicomImportJobs;
}
