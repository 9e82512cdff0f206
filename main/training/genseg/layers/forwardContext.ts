/** Per-call switches of the forward pass. */
export interface ForwardContext {
  /**
   * True during training steps: spectral norm then runs one power iteration per call and stores its vectors, as torch
   * does in train mode. Prediction leaves the vectors alone.
   */
  training: boolean;
  /**
   * Where this batch's rows sit in a larger batch split over data-parallel replicas: random draws are made for the
   * whole batch and sliced, so a replica draws what it would have drawn alone. Absent: the batch is whole.
   */
  batchRows?: { offset: number; total: number };
}
