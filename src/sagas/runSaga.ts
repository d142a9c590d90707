import { concatMap, defer, groupBy, mergeMap, Observable, retry, Subject, takeUntil, timer } from 'rxjs';
import { handleNodeCommand, nodeDecider } from '../commands/nodeCommands.js';
import { NODE_STREAM_PREFIX } from '../commands/streams.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import type { NodeCommand } from '../domain/node/commands.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';

export interface NodeSagaOptions {
  /** `saga:<name>` becomes the actor of every resulting event. */
  name: string;
  store: EventStore;
  logger: Logger;
  saga: (events$: Observable<DomainEvent>) => Observable<NodeCommand>;
  now(): Date;
  newId(): string;
}

export interface RunningSaga {
  /** Stops timers and probes, and resolves once the commands already sent have been stored (or failed). */
  stop(): Promise<void>;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs a saga over the node streams: replays them from the start (they are small), then follows them live,
 * and sends every command through the command handler, in order per node. A failing command is logged and
 * dropped (the next probe sends a fresh one); a failing subscription restarts the saga after a backoff.
 * Every LB instance runs it for now; the single-active lease comes with scale-out (DESIGN.md).
 */
export function runNodeSaga(options: NodeSagaOptions): RunningSaga {
  const { name, store, logger, saga } = options;
  const log = logger.child({ saga: name });
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<unknown>>();

  const send = (command: NodeCommand): Promise<void> => {
    const id = options.newId();
    const context = { actor: `saga:${name}`, correlationId: id, causationId: id, now: options.now(), commandId: id };
    const sent = handleNodeCommand(store, command, context).then(
      (result) => {
        for (const event of result.events) log.info({ event }, `${name}: ${event.type} for node ${command.data.nodeId}`);
      },
      (error: unknown) => log.warn({ err: error, command: command.type, nodeId: command.data.nodeId }, `${name}: command failed`),
    );
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    return sent;
  };

  const subscription = defer(() => saga(nodeEvents(store)))
    .pipe(
      retry({
        delay: (error: unknown, attempt) => {
          const delayMs = Math.min(1000 * 2 ** (attempt - 1), MAX_RESTART_DELAY_MS);
          log.error({ err: error, restartInMs: delayMs }, `${name} failed; restarting`);
          return timer(delayMs);
        },
      }),
      groupBy((command) => command.data.nodeId),
      mergeMap((perNode$) => perNode$.pipe(concatMap((command) => defer(() => send(command))))),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${name} stopped`) });
  log.info(`${name} started`);

  return {
    async stop() {
      shutdown$.next();
      shutdown$.complete();
      subscription.unsubscribe();
      await Promise.allSettled([...inFlight]);
      log.info(`${name} stopped`);
    },
  };
}

/**
 * The node events from the start of the log, then live. The replayed ones are held until the subscription
 * has caught up and then handed on in one synchronous burst, so a node registered and later decommissioned
 * never gets a probe started in between.
 */
export function nodeEvents(store: EventStore): Observable<DomainEvent> {
  return new Observable<DomainEvent>((subscriber) => {
    const controller = new AbortController();
    const follow = async () => {
      let replayed: DomainEvent[] | undefined = [];
      const messages = store.subscribe({ from: 'start', filter: { streamPrefixes: [NODE_STREAM_PREFIX] }, signal: controller.signal });
      for await (const message of messages) {
        if (controller.signal.aborted) return;
        if (message.kind === 'event') {
          const event = nodeDecider.decode(message.event);
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
