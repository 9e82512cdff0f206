/** What every job process and its parent say to each other, whatever the job: the job's own messages extend these. */
export type ParentMessage<Request> = { type: 'run'; request: Request } | { type: 'stop' };

/** Messages every job process may send; a job's protocol adds its own. */
export type JobProcessMessage = { type: 'log'; line: string } | { type: 'failed'; code: string; message: string };

export interface JobHooks<Message> {
  send(message: Message): void;
  /** True once the parent asked the job to stop (or went away): the job ends at its next safe point. */
  stopRequested(): boolean;
}
