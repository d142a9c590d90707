import type { DeliveryCommand, DeliveryState } from '../../domain/delivery/decide.js';
import { deliveryDecider } from '../../domain/delivery/decider.js';
import type { DeliveryEvent } from '../../domain/delivery/events.js';
import { deliveryStreamId } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult } from './handleCommand.js';

export function handleDeliveryCommand(store: EventStore, command: DeliveryCommand, context: CommandContext): Promise<CommandResult<DeliveryEvent, DeliveryState>> {
  return handleCommand(store, deliveryDecider, deliveryStreamId(command.data.deliveryId), command, context);
}
