import { Observable } from 'rxjs';
import { decodeEvent, type DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';

/**
 * The events of the given streams from the start of the log, then live. The replayed ones are held until
 * the subscription has caught up and then handed on in one synchronous burst, so a node registered and
 * later decommissioned never gets a probe started in between. Replayed, not checkpointed: the processes
 * that use it fold the node and meeting streams (small: a few events per node and meeting) into memory.
 */
export function domainEvents(store: EventStore, streamPrefixes: string[]): Observable<DomainEvent> {
  return new Observable<DomainEvent>((subscriber) => {
    const controller = new AbortController();
    const follow = async () => {
      let replayed: DomainEvent[] | undefined = [];
      const messages = store.subscribe({ from: 'start', filter: { streamPrefixes }, signal: controller.signal });
      for await (const message of messages) {
        if (controller.signal.aborted) return;
        if (message.kind === 'event') {
          const event = decodeEvent(message.event);
          if (replayed) replayed.push(event);
          else subscriber.next(event);
        } else if (message.kind === 'caughtUp' && replayed) {
          const burst = replayed;
          replayed = undefined;
          for (const event of burst) subscriber.next(event);
        }
      }
      subscriber.complete();
    };
    follow().catch((error: unknown) => {
      if (!controller.signal.aborted) subscriber.error(error);
    });
    return () => controller.abort();
  });
}
