/** What every job process and its parent say to each other, whatever the job: the job's own messages extend these. */
export type ParentMessage<Request> =
  | { type: 'run'; request: Request }
  | { type: 'stop' }
  /** The data the job reads has changed (a tag, a mask): a long-running job re-reads it at its next safe point. */
  | { type: 'refresh' };

/** Messages every job process may send; a job's protocol adds its own. */
export type JobProcessMessage = { type: 'log'; line: string } | { type: 'failed'; code: string; message: string };

export interface JobHooks<Message> {
  send(message: Message): void;
  /** True once the parent asked the job to stop (or went away): the job ends at its next safe point. */
  stopRequested(): boolean;
  /** True once for each refresh the parent asked for since the last call (several coalesce into one). */
  takeRefreshRequest(): boolean;
}
