export {
  buildTrainingSet,
  createVolumeSlicer,
  describeMissingData,
  inPlaneSpacing,
  planTrainingData,
  splitVolumes
} from './buildTrainingSet';
export type {
  DataSnapshot,
  PreparedSlice,
  SliceDomains,
  TrainingSet,
  VolumeSlicer,
  VolumeSource
} from './buildTrainingSet';
export { assessTrainingData, thinDataRule, type TrainingDataAssessment } from './assessTrainingData';
export { BatchSampler, type BatchSamplerOptions, type BatchSamplerState } from './BatchSampler';
export { augmentSlice, paperAugmentation, type AugmentationSettings } from './augmentSlice';
export { computeSliceFit, fitMask, fitSlice, unfitSlice, type SliceFit } from './sliceFitting';
export { normalizeVolume } from './normalizeVolume';
export {
  channelCountOf,
  describeChannelMismatch,
  describeMissingSequences,
  loadCaseChannels,
  resolveCaseChannels,
  type ChannelSource
} from './caseChannels';
export { Random, hashToUnit } from '../../common';
