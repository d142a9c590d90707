import { deliveryDecider, type DeliveryCommand, type DeliveryState } from '../domain/delivery/decide.js';
import { DELIVERY_EVENT_TYPES, type DeliveryEvent } from '../domain/delivery/events.js';
import { aggregateEvents } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult } from './handleCommand.js';
import type { Decider } from '../domain/decider.js';
import { deliveryStreamId } from '../domain/streams.js';

const deliveryEvents = aggregateEvents<DeliveryEvent>('delivery', DELIVERY_EVENT_TYPES);

export const deliveryCommandDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState> = { ...deliveryDecider, decode: deliveryEvents.decode };

export function handleDeliveryCommand(store: EventStore, command: DeliveryCommand, context: CommandContext): Promise<CommandResult<DeliveryEvent, DeliveryState>> {
  return handleCommand(store, deliveryCommandDecider, deliveryStreamId(command.data.deliveryId), command, context);
}
