/** The one stream of the autoscaling signal: the cluster's recommendations, each with the numbers behind it. */
export const AUTOSCALE_STREAM = 'autoscale-cluster';

/** -1: remove a node, 0: keep the fleet, +1: add a node. */
export type ScaleDirection = -1 | 0 | 1;

export type AutoscaleReason = 'belowMinimum' | 'aboveHighWatermark' | 'belowLowWatermark' | 'withinWatermarks';

/** A recommendation and the figures it was computed from. */
export type AutoscaleRecommendation = {
  recommendation: ScaleDirection;
  /** Active (enabled, available) nodes the cluster should have. */
  desiredNodes: number;
  activeNodes: number;
  /** Mean utilisation (0-1, may exceed 1) of the active nodes. */
  utilisation: number;
  participants: number;
  meetings: number;
  highWatermark: number;
  lowWatermark: number;
  minimumNodes: number;
  /** A drained node (cordoned, no meetings, no participants) to switch off; null when none. */
  removeNodeId: string | null;
  reason: AutoscaleReason;
};

/** Recorded only when the recommendation, the desired count or the node to remove changes. */
export type AutoscaleRecommendationChanged = {
  type: 'AutoscaleRecommendationChanged';
  data: AutoscaleRecommendation & { previous: ScaleDirection | null };
};

export type AutoscaleEvent = AutoscaleRecommendationChanged;

export const AUTOSCALE_EVENT_TYPES: readonly AutoscaleEvent['type'][] = ['AutoscaleRecommendationChanged'];
