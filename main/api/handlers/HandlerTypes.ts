import type { CallName, CallResult, ParsedCallInput, TrainingStatus } from '../../contract';
import type { EventBus } from '../../common';
import type { DicomImportJobs, Workspace } from '../../project';
import type { ProposalJobs } from '../../inference';
import type { JobSlot } from '../../jobs';
import type { TrainingRuns } from '../../training';

export interface CallContext {
  /**
   * Who calls: the desktop window, a browser through the web host, or the command line. A browser gets no absolute
   * path of the machine the host runs on; the desktop and the command line run there as the user, and do.
   */
  host: 'electron' | 'web' | 'cli';
}

export type Handler<N extends CallName> = (input: ParsedCallInput<N>, context: CallContext) => Promise<CallResult<N>>;

export type HandlersFor<Names extends CallName> = { [N in Names]: Handler<N> };

export interface CoreServices {
  workspace: Workspace;
  events: EventBus;
  appVersion: string;
  /** The one job slot that training and proposal jobs share. */
  jobs: JobSlot<TrainingStatus>;
  training: TrainingRuns;
  proposals: ProposalJobs;
  dicomImports: DicomImportJobs;
}
