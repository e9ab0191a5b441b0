import { FULL_DETAIL, MIN_FONT, type Detail } from './scene';

/** Rendered text must stay at 11 px or more at fit: the zoom may not go below this. */
export const LEGIBLE_ZOOM = 11 / MIN_FONT;
/** Small views are not blown up past this. */
export const MAX_FIT_ZOOM = 1.25;
/** Pixels kept free around the graph at fit. */
export const FIT_PADDING = 12;
/** The strip at the canvas's left edge where the zoom buttons sit: the fitted graph starts right of it. */
export const CONTROLS_GUTTER = 44;

/**
 * Less and less detail until the view fits the canvas at a legible zoom: rows folded to PII, fewer
 * children per container (the rest behind a "+N more" node), then rows folded away and fewer still.
 * Never smaller text.
 */
export const DETAIL_LADDER: readonly Detail[] = [
  FULL_DETAIL,
  { rows: 'pii', maxChildren: Infinity },
  // PII rows are what an auditor opened a group for: fewer unrelated boxes go before they do.
  { rows: 'pii', maxChildren: 6 },
  { rows: 'pii', maxChildren: 4 },
  { rows: 'pii', maxChildren: 3 },
  { rows: 'none', maxChildren: Infinity },
  { rows: 'none', maxChildren: 16 },
  { rows: 'none', maxChildren: 10 },
  { rows: 'none', maxChildren: 6 },
  { rows: 'none', maxChildren: 4 },
  { rows: 'none', maxChildren: 3 },
];

/**
 * The first step of the ladder whose layout fits at a legible zoom, or the last one tried.
 * `attempt` builds and lays out the view at one level of detail and says the zoom it fits at.
 */
export function chooseDetail<T extends { zoom: number }>(attempt: (detail: Detail) => T): T & { detail: Detail } {
  let chosen = { ...attempt(DETAIL_LADDER[0]), detail: DETAIL_LADDER[0] };
  for (let i = 1; i < DETAIL_LADDER.length && chosen.zoom < LEGIBLE_ZOOM; i++) chosen = { ...attempt(DETAIL_LADDER[i]), detail: DETAIL_LADDER[i] };
  return chosen;
}
