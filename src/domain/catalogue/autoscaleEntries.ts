import type { AutoscaleEvent, AutoscaleReason, ScaleDirection } from '../autoscale/events.js';
import type { CatalogueEntries, Fields } from './fields.js';

const DIRECTIONS = ['-1', '0', '1'] as const;
const REASONS: readonly AutoscaleReason[] = ['belowMinimum', 'aboveHighWatermark', 'belowLowWatermark', 'withinWatermarks'];

function direction(data: Fields, key: string): ScaleDirection {
  const value = data.number(key);
  if (!DIRECTIONS.includes(String(value) as (typeof DIRECTIONS)[number])) throw new TypeError(`data.${key} must be -1, 0 or 1`);
  return value as ScaleDirection;
}

export const AUTOSCALE_ENTRIES: CatalogueEntries<AutoscaleEvent> = {
  AutoscaleRecommendationChanged: {
    schemaVersion: 1,
    parse: (data) => ({
      recommendation: direction(data, 'recommendation'),
      desiredNodes: data.count('desiredNodes'),
      activeNodes: data.count('activeNodes'),
      utilisation: data.number('utilisation'),
      participants: data.count('participants'),
      meetings: data.count('meetings'),
      highWatermark: data.number('highWatermark'),
      lowWatermark: data.number('lowWatermark'),
      minimumNodes: data.count('minimumNodes'),
      removeNodeId: data.nullableString('removeNodeId'),
      reason: data.oneOf('reason', REASONS),
      previous: data.nullableNumber('previous') === null ? null : direction(data, 'previous'),
    }),
  },
};
