import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import { decideDelivery, evolveDelivery, initialDeliveryState, type DeliveryCommand, type DeliveryState } from './decide.js';
import { DELIVERY_EVENT_TYPES, type DeliveryEvent } from './events.js';

export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState> = {
  decide: decideDelivery,
  evolve: evolveDelivery,
  initialState: initialDeliveryState,
  decode: aggregateEvents<DeliveryEvent>('delivery', DELIVERY_EVENT_TYPES).decode,
};
