import { map, Observable } from 'rxjs';
import { decodeEvent, type DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';

/** A domain event with when it was stored (its metadata's `at`, epoch ms). */
export interface DatedEvent {
  event: DomainEvent;
  at: number;
}

/**
 * The events of the given streams from the start of the log, then live. The replayed ones are held until
 * the subscription has caught up and then handed on in one synchronous burst, so a node registered and
 * later decommissioned never gets a probe started in between. Replayed, not checkpointed: the processes
 * that use it fold the node and meeting streams (small: a few events per node and meeting) into memory.
 */
export function domainEvents(store: EventStore, streamPrefixes: string[]): Observable<DomainEvent> {
  return datedDomainEvents(store, streamPrefixes).pipe(map((dated) => dated.event));
}

/** As domainEvents, each with when it happened (a queue's oldest item is as old as its request event). */
export function datedDomainEvents(store: EventStore, streamPrefixes: string[]): Observable<DatedEvent> {
  return new Observable<DatedEvent>((subscriber) => {
    const controller = new AbortController();
    const follow = async () => {
      let replayed: DatedEvent[] | undefined = [];
      const messages = store.subscribe({ from: 'start', filter: { streamPrefixes }, signal: controller.signal });
      for await (const message of messages) {
        if (controller.signal.aborted) return;
        if (message.kind === 'event') {
          const dated = { event: decodeEvent(message.event), at: Date.parse(String(message.event.metadata.at)) };
          if (replayed) replayed.push(dated);
          else subscriber.next(dated);
        } else if (message.kind === 'caughtUp' && replayed) {
          const burst = replayed;
          replayed = undefined;
          for (const dated of burst) subscriber.next(dated);
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
