import { describe, expect, it } from 'vitest';
import { guessSequenceName } from './guessSequenceName';

// Series descriptions as Siemens, GE and Philips scanners write them, BraTS and BIDS file names.
const cases: [string | null, string | null, string, boolean][] = [
  ['t1_mprage_sag_p2_iso', null, 'T1', true],
  ['AX T1 PRE GD', null, 'T1', true],
  ['T1 MPRAGE POST GD', null, 'T1c', true],
  ['AX T1 POST', null, 'T1c', true],
  ['Ax T1 +C', null, 'T1c', true],
  ['T1W_SE_GD', null, 'T1c', true],
  ['t1_se_tra_KM', null, 'T1c', true],
  ['t2_tse_tra_512', null, 'T2', true],
  ['Ax T2 FSE', null, 'T2', true],
  ['AX T2 FLAIR', null, 'FLAIR', true],
  ['t2_tirm_tra_dark-fluid', null, 'FLAIR', true],
  ['Sag CUBE FLAIR', null, 'FLAIR', true],
  ['ep2d_diff_3scan_trace_p2', null, 'DWI', true],
  ['ep2d_diff_3scan_trace_p2_ADC', null, 'ADC', true],
  ['AX DWI B1000', null, 'DWI', true],
  ['Apparent Diffusion Coefficient (mm2/s)', null, 'ADC', true],
  ['PD_TSE_TRA', null, 'PD', true],
  ['t2_fl2d_tra_hemo T2*', null, 't2_fl2d_tra_hemo T2*', false],
  ['localizer', null, 'localizer', false],
  [null, 'BraTS20_Training_001_t1.nii.gz', 'T1', true],
  [null, 'BraTS20_Training_001_t1ce.nii.gz', 'T1c', true],
  [null, 'BraTS20_Training_001_t2.nii.gz', 'T2', true],
  [null, 'BraTS20_Training_001_flair.nii.gz', 'FLAIR', true],
  [null, 'sub-01_ce-gadolinium_T1w.nii.gz', 'T1c', true],
  [null, 'sub-01_T2w.nii', 'T2', true],
  // The description wins; the file name is asked only when the description names nothing known.
  ['SWI_Images', 'patient7_flair.nii.gz', 'FLAIR', true],
  ['SWI_Images', 'patient7.nii.gz', 'SWI_Images', false],
  [null, 'scan_0003.nii.gz', 'scan_0003', false]
];

describe('guessSequenceName', () => {
  it.each(cases)('%s / %s is %s', (description, file, name, known) => {
    expect(guessSequenceName(description, file)).toEqual({ name, known });
  });
});
