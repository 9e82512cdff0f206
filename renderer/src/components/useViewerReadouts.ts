import { onBeforeUnmount, ref } from 'vue';
import { useServices } from '../services/useServices';
import { clearAppSignal, setAppSignal } from '../signals/appSignals';
import { describeScreenOrientation, type ScreenOrientationLabels } from '../viewer/describeScreenOrientation';
import type { Unsubscribe } from '../viewer/Emitter';
import type { CrosshairState, PlaneName, SliceState, ViewName, WindowState } from '../viewer/viewerTypes';
import type { HoveredVoxel } from '../viewer/VoxelProbe';

/**
 * What the viewer says it shows, as reactive state for the overlay, the slice bar and the toolbars (and as app
 * signals for tests): the viewer's events are the only way these reach the views. Unsubscribed with the component.
 */
export function useViewerReadouts() {
  const { viewer } = useServices();
  const slice = ref<SliceState | null>(null);
  const windowState = ref<WindowState | null>(null);
  const orientation = ref<ScreenOrientationLabels | null>(null);
  const zoom = ref<number | null>(null);
  const hovered = ref<HoveredVoxel | null>(null);
  const crosshair = ref<CrosshairState | null>(null);
  const mainView = ref<ViewName>(viewer.getMainView());
  /** The standard plane each view shows (the acquired one is known once a volume is shown). */
  const planes = ref<Record<ViewName, PlaneName> | null>(null);
  function publishMainView(): void {
    setAppSignal('viewerMainView', mainView.value);
    const plane = viewer.planeOf(mainView.value);
    if (plane) setAppSignal('viewerMainPlane', plane);
  }
  publishMainView();
  const unsubscribes: Unsubscribe[] = [
    viewer.onDidChangeSlice((state) => {
      slice.value = state;
      setAppSignal('viewerSlice', state.index);
      setAppSignal('viewerSliceCount', state.count);
    }),
    viewer.onWillClearVolume(() => {
      slice.value = null;
      crosshair.value = null;
      planes.value = null;
      clearAppSignal('viewerCrosshairVoxel');
      clearAppSignal('viewerCrosshairPoint');
    }),
    viewer.onDidShowVolume((volume) => {
      planes.value = { acquisition: volume.acquisitionPlane, sagittal: 'sagittal', coronal: 'coronal' };
      publishMainView();
    }),
    viewer.onDidChangeMainView((view) => {
      mainView.value = view;
      publishMainView();
    }),
    viewer.onDidChangeCrosshair((state) => {
      crosshair.value = state;
      setAppSignal('viewerCrosshairVoxel', state.voxel.join(','));
      setAppSignal('viewerCrosshairPoint', state.point.map((value) => value.toFixed(2)).join(','));
    }),
    viewer.onDidChangeWindow((state) => {
      windowState.value = state;
      setAppSignal('viewerWindowWidth', state.width);
      setAppSignal('viewerWindowCenter', state.center);
    }),
    viewer.onDidChangeOrientation((view) => {
      orientation.value = describeScreenOrientation(view);
    }),
    viewer.onDidChangeZoom((factor) => {
      zoom.value = factor;
      setAppSignal('viewerZoom', factor.toFixed(3));
    }),
    viewer.onDidHoverVoxel((voxel) => {
      hovered.value = voxel;
      if (voxel) {
        setAppSignal('viewerHoverVoxel', `${voxel.i},${voxel.j},${voxel.k}`);
        setAppSignal('viewerHoverValue', voxel.value);
      } else {
        clearAppSignal('viewerHoverVoxel');
        clearAppSignal('viewerHoverValue');
      }
    }),
    viewer.onDidRender((count) => setAppSignal('viewerRenderCount', count)),
    viewer.onDidShowReferenceViews(() => setAppSignal('viewerReferenceViews', 'sagittal,coronal')),
    viewer.onWillClearVolume(() => clearAppSignal('viewerReferenceViews'))
  ];
  onBeforeUnmount(() => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  });
  return { slice, window: windowState, orientation, zoom, hovered, crosshair, mainView, planes };
}
