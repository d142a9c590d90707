import type { LoadWeights } from './loadModel.js';

/**
 * The load model's defaults, each with where it comes from. Operators override them with the `LOAD_*`
 * variables (src/config.ts); tests and tools without configuration use them as they are.
 */
export const DEFAULT_LOAD_WEIGHTS: LoadWeights = {
  // B3LB's a = 1.0: the unit everything else is measured in.
  participant: 1,
  // b3scale's 15 per meeting and Scalelite's LOAD_MIN_USER_COUNT 15: an empty meeting is about to fill up.
  meeting: 15,
  // A breakout room is another conference (audio mixer, meeting actor) but brings no new people: a third of a meeting.
  breakoutMeeting: 5,
  // B3LB's cpu_max 5000 and cpu_order 6: CPU barely matters below 50 %, and dominates everything near 100 %.
  cpuMax: 5000,
  cpuOrder: 6,
  // BBBLB's LOAD_RESERVED 20, with its cap of 5 × that for a size hint.
  reservedSeats: 20,
  sizeHintMax: 100,
  // The first joins show up within a poll or two (POLL_INTERVAL_MS 10 s); 5 min covers a class filling up late.
  cooldownMs: 300_000,
};
