import type { ImportRecordingFormat } from '../../../src/domain/recording/commands.js';
import type { PlaybackFormat, RecordingImported } from '../../../src/domain/recording/events.js';

export const recordId = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678-1700000000000';
export const owner = { recordId, tenant: 'acme', scope: 'acme-007' };

export const playback = (format = 'presentation', manifest = 'm1'): PlaybackFormat => ({
  format,
  playbackPath: `/playback/presentation/2.3/${recordId}`,
  processingTimeMs: 1200,
  durationMs: 120_000,
  size: 2048,
  previews: [{ width: '176', height: '136', alt: 'Welcome', path: 'presentation/p1/thumbnails/thumb-1.png' }],
  files: [{ path: 'metadata.xml', bytes: 2048, sha256: 'f'.repeat(64) }],
  manifest,
});

const facts = {
  meetingID: 'room 1',
  internalMeetingID: recordId,
  name: 'Room One',
  isBreakout: false,
  startTime: 1700000000000,
  endTime: 1700000120000,
  participants: 3,
  rawSize: 4096,
  metadata: { meetingId: 'room 1', meetingName: 'Room One', origin: 'lms' },
};

export const importFormat = (format = 'presentation', manifest = 'm1', published = true): ImportRecordingFormat => ({
  type: 'ImportRecordingFormat',
  data: { ...owner, ...facts, importId: 'imp-1', nodeId: 'node-a', published, playback: playback(format, manifest) },
});

export const imported = (format = 'presentation', manifest = 'm1', overrides: Partial<RecordingImported['data']> = {}): RecordingImported => ({
  type: 'RecordingImported',
  data: { ...owner, ...facts, importId: 'imp-1', nodeId: 'node-a', published: true, playback: playback(format, manifest), replaced: false, ...overrides },
});
