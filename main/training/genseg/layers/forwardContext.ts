/** Per-call switches of the forward pass. */
export interface ForwardContext {
  /**
   * True during training steps: spectral norm then runs one power iteration per call and stores its vectors, as torch
   * does in train mode. Prediction leaves the vectors alone.
   */
  training: boolean;
}
