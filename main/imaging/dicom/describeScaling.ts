/**
 * Which scaling a DICOM series' values went through (issue 20, item 5): the DICOM RescaleSlope/Intercept is applied,
 * as dcm2niix does by default (`-p n`); Philips' private scale (2005,100E/100D), which turns those values into
 * Philips' floating-point values, is reported but not applied.
 */
import type { VolumeScaling } from '../importTypes';
import type { DicomFrameReference } from './dicomTypes';

export function describeDicomScaling(frames: DicomFrameReference[]): { scaling: VolumeScaling; warnings: string[] } {
  const pairs = new Map<string, [number, number]>();
  for (const frame of frames)
    pairs.set(`${frame.rescaleSlope}/${frame.rescaleIntercept}`, [frame.rescaleSlope, frame.rescaleIntercept]);
  const [[slope, intercept] = [1, 0]] = pairs.values();
  let scaling: VolumeScaling;
  if (pairs.size === 1 && slope === 1 && intercept === 0) {
    scaling = {
      applied: 'none',
      slope: 1,
      intercept: 0,
      text: 'No rescale: the stored values (RescaleSlope 1, RescaleIntercept 0 or none).'
    };
  } else if (pairs.size === 1) {
    scaling = {
      applied: 'dicom-rescale',
      slope,
      intercept,
      text: `DICOM RescaleSlope ${slope} and RescaleIntercept ${intercept} applied.`
    };
  } else {
    const slopes = [...pairs.values()].map(([value]) => value);
    scaling = {
      applied: 'dicom-rescale',
      text: `DICOM RescaleSlope/RescaleIntercept applied image by image (${pairs.size} different pairs, slope ${Math.min(...slopes)} to ${Math.max(...slopes)}).`
    };
  }
  const warnings: string[] = [];
  const vendor = frames.find((frame) => frame.vendorScale)?.vendorScale;
  if (vendor) {
    const round = (value: number): number => Number(value.toPrecision(6));
    const slopeText = `slope ${round(vendor.scaleSlope)} (2005,100E)`;
    const interceptText =
      vendor.scaleIntercept === undefined ? '' : `, intercept ${round(vendor.scaleIntercept)} (2005,100D)`;
    scaling.notApplied = { ...vendor };
    scaling.text += ` Philips private scale ${slopeText}${interceptText} seen but not applied, as dcm2niix -p n.`;
    warnings.push(
      `The Philips private scale (${slopeText}${interceptText}) was not applied: the values are the DICOM-rescaled ones, as dcm2niix -p n writes them, not Philips' floating-point values.`
    );
  }
  return { scaling, warnings };
}
