import type { Page } from 'playwright-core';

/**
 * The app's signals on `<body data-...>` (renderer/src/signals/appSignals.ts). Tests wait on them, never on time.
 * Conditions are data, not code strings: the app's CSP forbids evaluating strings in the page.
 */
export type SignalName =
  | 'appState'
  | 'viewerState'
  | 'viewerVolumeId'
  | 'viewerSlice'
  | 'viewerSliceCount'
  | 'viewerWindowWidth'
  | 'viewerWindowCenter'
  | 'viewerZoom'
  | 'viewerHoverVoxel'
  | 'viewerHoverValue'
  | 'viewerRenderCount'
  | 'viewerWindowPreset'
  | 'viewerReferenceViews'
  | 'viewerMainView'
  | 'viewerMainPlane'
  | 'viewerCrosshairVoxel'
  | 'viewerCrosshairPoint'
  | 'viewerCrosshairLines'
  | 'sequenceNames'
  | 'viewerSequence'
  | 'viewerCompanionSequence'
  | 'viewerCompanionSlice'
  | 'sequenceWindowsSaved'
  | 'trainingChannels'
  | 'volumeJump'
  | 'weakLabels'
  | 'weakLabelsSaved'
  | 'maskSaveState'
  | 'maskSavedCount'
  | 'maskLoadedVolumeId'
  | 'maskDrawn'
  | 'maskTool'
  | 'dicomImportPhase'
  | 'trainingState'
  | 'modelVersionCount'
  | 'proposalsDone'
  | 'pendingProposalId'
  | 'proposalShown'
  | 'proposalReviews'
  | 'secondReadProposalId'
  | 'proposalReviewedSlices'
  | 'reviewNextOpened'
  | 'modelVersionEdits'
  | 'exportCount'
  | 'maskImportCount'
  | 'suggestionTop'
  | 'suggestionRefreshes'
  | 'suggestionJump'
  | 'shortcutSheet'
  | 'importCount'
  | 'exportDownload';

export interface SignalCondition {
  signal: SignalName;
  is: 'equal' | 'different' | 'greater';
  value: string | number | null;
}

function attributeOf(name: SignalName): string {
  return `data-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export async function readSignal(page: Page, name: SignalName): Promise<string | null> {
  return page.locator('body').getAttribute(attributeOf(name));
}

export async function readNumberSignal(page: Page, name: SignalName): Promise<number> {
  const value = await readSignal(page, name);
  if (value === null) throw new Error(`the app has not published ${name}`);
  return Number(value);
}

/** The page's side, typed without the DOM library (the tests compile for Node). */
interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> } };
}

/** Waits until all (or any) of the conditions hold in the page. */
export async function waitForSignals(
  page: Page,
  conditions: SignalCondition[],
  { match = 'all', timeout = 60_000 }: { match?: 'all' | 'any'; timeout?: number } = {}
): Promise<void> {
  await page.waitForFunction(
    ({ conditions, match }) => {
      const { dataset } = (globalThis as unknown as PageGlobals).document.body;
      const holds = ({ signal, is, value }: SignalCondition) => {
        const current = dataset[signal] ?? null;
        if (is === 'greater') return current !== null && Number(current) > Number(value);
        const same = current === (value === null ? null : String(value));
        return is === 'equal' ? same : !same;
      };
      return match === 'all' ? conditions.every(holds) : conditions.some(holds);
    },
    { conditions, match },
    { timeout }
  );
}
