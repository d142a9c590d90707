import { Gauge } from 'prom-client';
import type { SubscriptionFilter } from '../eventstore/port.js';
import type { ProjectionStatus } from '../projections/runner.js';
import type { LogHead } from './logHead.js';
import { PREFIX, type Metrics } from './registry.js';

export interface ProjectionSources {
  statuses(): ProjectionStatus[];
  /** Each read model's subscription filter by name; one not listed counts every event. */
  filters: ReadonlyMap<string, SubscriptionFilter>;
  head: LogHead;
  now(): number;
}

const STATES = ['starting', 'catching-up', 'live', 'stopped', 'failed'] as const;

/** Projection lag (events and seconds behind `$all`) and state, per read model, at scrape time. */
export function registerProjectionGauges(metrics: Metrics, sources: ProjectionSources): void {
  const registers = [metrics.registry];
  const lags = () => {
    const now = sources.now();
    return sources.statuses().map((s) => ({ name: s.name, lag: sources.head.lag(s.checkpoint, sources.filters.get(s.name), now) }));
  };
  const lagGauge = (unit: 'events' | 'seconds', help: string) =>
    new Gauge({
      name: `${PREFIX}projection_lag_${unit}`,
      help,
      labelNames: ['projection'],
      registers,
      collect() {
        this.reset();
        for (const { name, lag } of lags()) this.set({ projection: name }, lag[unit]);
      },
    });
  lagGauge('events', 'Events in $all after a read model\'s checkpoint that it has still to apply.');
  lagGauge('seconds', 'Age of the oldest event a read model has still to apply; 0 when it is up to date.');
  new Gauge({
    name: `${PREFIX}projection_state`,
    help: 'A read model\'s runner state: 1 for the state it is in, 0 for the others.',
    labelNames: ['projection', 'state'],
    registers,
    collect() {
      this.reset();
      for (const status of sources.statuses()) for (const state of STATES) this.set({ projection: status.name, state }, status.state === state ? 1 : 0);
    },
  });
}
