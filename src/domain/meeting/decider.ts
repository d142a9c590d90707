import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import type { MeetingCommand } from './commands.js';
import { decide } from './decide.js';
import { MEETING_EVENT_TYPES, type MeetingEvent } from './events.js';
import { evolve, initialState, type MeetingState } from './state.js';

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  decide,
  evolve,
  initialState,
  decode: aggregateEvents<MeetingEvent>('meeting', MEETING_EVENT_TYPES).decode,
};
