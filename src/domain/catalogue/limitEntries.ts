import { LIMIT_KINDS, LIMIT_MODES } from '../policy/limits.js';
import type { TenantLimitEvent } from '../tenant/limitEvents.js';
import type { CatalogueEntries, Fields } from './fields.js';

const numbers = (data: Fields) => ({
  tenant: data.string('tenant'),
  subId: data.count('subId'),
  limit: data.oneOf('limit', LIMIT_KINDS),
  max: data.count('max'),
  count: data.count('count'),
});

export const LIMIT_ENTRIES: CatalogueEntries<TenantLimitEvent> = {
  TenantLimitExceeded: {
    schemaVersion: 1,
    parse: (data) =>
      Object.assign(numbers(data), {
        scope: data.string('scope'),
        mode: data.oneOf('mode', LIMIT_MODES),
        outcome: data.oneOf('outcome', ['refused', 'allowed'] as const),
        occurrences: data.count('occurrences'),
        from: data.string('from'),
        to: data.string('to'),
      }),
  },
  TenantLimitReached: { schemaVersion: 1, parse: (data) => Object.assign(numbers(data), { at: data.string('at') }) },
  TenantLimitCleared: {
    schemaVersion: 1,
    parse: (data) => ({
      tenant: data.string('tenant'),
      subId: data.count('subId'),
      limit: data.oneOf('limit', LIMIT_KINDS),
      max: data.nullableCount('max'),
      count: data.count('count'),
      at: data.string('at'),
    }),
  },
};
