export { tagScan, setTumourRanges, setSliceStates, listTumourSlices, mergeRanges } from './weakLabels';
export { saveMaskSlices, readVolumeMask, type MaskSliceInput } from './masks';
export { acceptProposal, rejectProposal } from './proposals';
export { recordProposal, type ProposalFile } from './recordProposal';
