import type { PlacementNode } from '../../../src/domain/placement/placement.js';

/** An enabled, available, empty node; tests override what matters to them. */
export const node = (id: string, overrides: Partial<PlacementNode> = {}): PlacementNode => ({
  id,
  apiUrl: `https://${id}.example.com/bigbluebutton/api/`,
  secret: 's',
  checksumAlgorithm: 'sha256',
  adminState: 'enabled',
  health: 'available',
  meetings: 0,
  participants: 0,
  loadFactor: 1,
  tags: [],
  ...overrides,
});
