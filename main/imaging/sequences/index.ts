export { guessSequenceName, knownSequenceNames, type KnownSequenceName, type SequenceGuess } from './guessSequenceName';
export { placeOnReferenceGrid, describePlacement, isSameGrid, type GridPlacement } from './placeOnReferenceGrid';
export { checkFrameOfReference } from './checkFrameOfReference';
