import { endCallbackDeliveryId, endCallbackTarget, originalEndCallback, verifyEndCallback, type EndCallbackClaim } from '../../domain/delivery/endCallbacks.js';
import { IllegalStateError } from '../../domain/errors.js';
import type { MeetingState } from '../../domain/meeting/state.js';
import { StreamNotFoundError } from '../../eventstore/errors.js';
import type { EventStore, Position } from '../../eventstore/port.js';
import { handleDeliveryCommand } from '../decider/deliveryCommands.js';
import type { CommandContext } from '../decider/handleCommand.js';
import { handleMeetingCommand } from '../decider/meetingCommands.js';
import { meetingDecider } from '../../domain/meeting/decider.js';
import { MEETING_STREAM_PREFIX } from '../../domain/streams.js';

export interface EndCallbackDeps {
  store: EventStore;
  /** The key every end callback URL is signed with (`CALLBACK_SECRET`). */
  key: string;
}

/**
 * `forged`: the MAC is wrong, or it names no incarnation of ours with that callback; `replayed`: this URL
 * was called before. Either way nothing ends and nothing is delivered.
 */
export type EndCallbackOutcome = { kind: 'accepted'; ended: boolean; position: Position | undefined } | { kind: 'forged' } | { kind: 'replayed' };

/**
 * A node called an end callback URL we put in its create: 1. check the MAC, 2. find the incarnation it was
 * made for and the client's URL, 3. claim the delivery (a second call of the URL finds it claimed),
 * 4. end that incarnation now if it still runs. The delivery process then calls the client's URL.
 */
export async function receiveEndCallback(
  deps: EndCallbackDeps,
  claim: EndCallbackClaim,
  mac: string,
  recordingmarks: boolean,
  context: () => CommandContext,
): Promise<EndCallbackOutcome> {
  if (!verifyEndCallback(deps.key, claim, mac)) return { kind: 'forged' };
  const incarnation = await incarnationOf(deps.store, claim);
  const originalUrl = incarnation && originalEndCallback(incarnation.params, claim.kind);
  if (!incarnation || !originalUrl) return { kind: 'forged' };
  const { tenant, scope, meetingID } = incarnation;
  const deliveryId = endCallbackDeliveryId(claim);
  try {
    const url = endCallbackTarget(originalUrl, recordingmarks, meetingID);
    const data = { deliveryId, tenant, scope, meetingID, incarnation: claim.incarnation, kind: claim.kind, originalUrl, url, method: 'GET' as const };
    await handleDeliveryCommand(deps.store, { type: 'RequestCallbackDelivery', data }, context());
  } catch (error) {
    if (error instanceof IllegalStateError) return { kind: 'replayed' };
    throw error;
  }
  const detail = `the node called the ${claim.kind} callback of incarnation ${claim.incarnation}`;
  const ended = await handleMeetingCommand(deps.store, { type: 'EndMeetingByCallback', data: { tenant, scope, meetingID, incarnation: claim.incarnation, detail } }, context());
  return { kind: 'accepted', ended: ended.events.length > 0, position: ended.position };
}

type Incarnation = Exclude<MeetingState, { status: 'idle' }>;

/** The meeting's state while incarnation `claim.incarnation` was placed or running, if it ever was. */
async function incarnationOf(store: EventStore, claim: EndCallbackClaim): Promise<Incarnation | undefined> {
  let state = meetingDecider.initialState();
  let found: Incarnation | undefined;
  try {
    for await (const recorded of store.readStream(`${MEETING_STREAM_PREFIX}${claim.nodeMeetingID}`)) {
      state = meetingDecider.evolve(state, meetingDecider.decode(recorded));
      if (state.status !== 'idle' && state.incarnations === claim.incarnation) found = state;
      if (state.incarnations > claim.incarnation) break;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return found;
}
