/**
 * The colours of what is drawn over the image, named once so the legend shows the colours the viewer uses.
 * The mask is Cornerstone's colour of segment 1 (CORNERSTONE_COLOR_LUT[1], which the mask labelmap keeps;
 * `layerColours.test.ts` checks it); the proposal's yellow is set by `ProposalLayer`.
 */
export const maskColour = [221, 84, 84] as const;
export const proposalColour = [255, 214, 0] as const;

export const cssColour = ([red, green, blue]: readonly [number, number, number]): string => `rgb(${red} ${green} ${blue})`;
