export { tagScan, setTumourRanges, setSliceStates, listTumourSlices, mergeRanges } from './weakLabels';
export { saveMaskSlices, readVolumeMask, type MaskSliceInput } from './masks';
export { acceptProposal, rejectProposal } from './proposals';
export { recordProposal, type ProposalFile } from './recordProposal';
export { importMaskFile, type MaskImportOutcome } from './importMask';
export { placeLabelMap, type LabelMapPlacement, type PlacedLabelMap } from './placeLabelMap';
