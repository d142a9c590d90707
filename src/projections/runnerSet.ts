import type { EventStore, Position, SubscriptionFilter } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import type { CheckpointTarget, ProjectionDefinition } from './projection.js';
import { startProjection, type ProjectionRunner, type ProjectionStatus } from './runner.js';
import { SharedLogRead } from './sharedLogRead.js';

/** What HTTP handlers need of a read model's runner: read-your-writes. Usable before the runner starts. */
export type RunnerHandle = Pick<ProjectionRunner, 'waitFor'>;

/**
 * The read models of one process: registered while composing (so handlers can be given their handles),
 * started together once everything is built, stopped together.
 */
export class RunnerSet {
  private readonly pending: Array<(signal: AbortSignal) => ProjectionRunner> = [];
  private readonly byIndex: Array<ProjectionRunner | undefined> = [];
  private readonly filterByName = new Map<string, SubscriptionFilter>();
  private readonly controller = new AbortController();
  /** How many in-process models follow the one shared read, and that read once started. */
  private inProcessCount = 0;
  private inProcessRead: SharedLogRead | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  /**
   * An in-process model (its checkpoint is lost with the process, so it always starts from the beginning). All
   * of them follow one shared subscription: every instance reads each event once for all of them, not once each.
   */
  addInProcess<Op>(projection: ProjectionDefinition<Op>, target: CheckpointTarget<Op>): RunnerHandle {
    this.inProcessCount += 1;
    return this.addRunner(projection.name, projection.filter, (signal) => {
      this.inProcessRead ??= new SharedLogRead(this.store, this.inProcessCount, signal);
      return startProjection({ store: this.inProcessRead, projection, target, logger: this.logger, signal });
    });
  }

  /** A runner of another kind (a self-healing shared model), started and stopped with the others. */
  addRunner(name: string, filter: SubscriptionFilter, start: (signal: AbortSignal) => ProjectionRunner): RunnerHandle {
    const index = this.pending.length;
    this.filterByName.set(name, filter);
    this.pending.push(start);
    return {
      waitFor: (position: Position, options?: { timeoutMs?: number }) => {
        const runner = this.byIndex[index];
        return runner ? runner.waitFor(position, options) : Promise.reject(new Error(`projection ${name} is not started`));
      },
    };
  }

  /** Starts every runner and resolves once all of them have caught up with the log. */
  async start(): Promise<void> {
    this.pending.forEach((start, index) => (this.byIndex[index] = start(this.controller.signal)));
    await Promise.all(this.runners().map((r) => r.caughtUp));
  }

  /** Each runner's subscription filter by name (the projection lag metrics count only the events it takes). */
  filters(): ReadonlyMap<string, SubscriptionFilter> {
    return this.filterByName;
  }

  status(): ProjectionStatus[] {
    return this.runners().map((r) => r.status());
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.runners().map((r) => r.done));
  }

  private runners(): ProjectionRunner[] {
    return this.byIndex.filter((r): r is ProjectionRunner => r !== undefined);
  }
}
