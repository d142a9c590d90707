import type { Observable } from 'rxjs';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { Delivery, EffectOf, NodeCall } from './process.js';

/** Who, on whose behalf and when: the command context of `src/commands`, restated so processes need not import it. */
export interface EffectContext {
  actor: string;
  correlationId: string;
  causationId: string;
  commandId: string;
  now: Date;
}

export interface PerformContext {
  command: EffectContext;
  /** The lease is still ours: asked again between the node calls of a workflow. */
  stillHolds(): boolean;
  /** The process still wants the effect, by its state now (failover: the node is still offline). */
  stillWanted(): boolean;
  /** The process's id namespace, for the ids of a workflow's later steps. */
  idNamespace: string;
}

/**
 * What the runtime cannot do itself, injected by the composition root (src/compose.ts) so that processes
 * never import src/commands: perform a command or an observation, call a node, deliver a request.
 */
export interface EffectPorts<T = unknown> {
  /** The events it appended (none when the aggregate decided nothing new). */
  perform(effect: EffectOf<'command', T> | EffectOf<'observe', T>, context: PerformContext): Promise<DomainEvent[]>;
  /** One answer, then complete; unsubscribing cancels the call. */
  callNode(call: NodeCall): Observable<unknown>;
  deliver(request: Delivery, signal: AbortSignal): Promise<{ ok: true } | { ok: false; detail: string }>;
}

export type EffectOutcome = 'done' | 'failed' | 'refused';

/** The one metrics hook of every process (src/metrics/observability.ts implements it). */
export interface ProcessHook {
  /** `held` flips with the lease: the process runs in this instance or not. */
  leaseHeld(process: string, held: boolean): void;
  /** An effect performed (or failed, or refused by the fence), with how long it took. */
  effect(process: string, kind: string, outcome: EffectOutcome, seconds: number): void;
  /** The queue of effects waiting their turn, read at scrape time. */
  queue(process: string, read: () => { depth: number }): void;
}

/** Ports for a process that asks for none of these: each refuses loudly. */
export const NO_PORTS: EffectPorts = {
  perform: () => Promise.reject(new Error('this process has no command performer')),
  callNode: () => {
    throw new Error('this process has no node caller');
  },
  deliver: () => Promise.reject(new Error('this process has no deliverer')),
};
