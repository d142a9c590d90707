import type { LeanSeries } from './leanHistogram.js';
import { isBbbCall } from '../http/bbb/bbbCalls.js';
import type { Metrics } from './registry.js';

/** How the BBB API's answers reach the metrics: one call per answer, from the fast paths and from Koa. */
export interface BbbObserver {
  /** `call` as the route named it (bounded to the known calls here); `tenant` only for a checksum refusal. */
  observe(call: string, outcome: string, seconds: number, tenant?: string): void;
  /** One call and outcome's recorder, looked up once (the fast paths). */
  bound(call: string, outcome: string): (seconds: number) => void;
}

export const NO_BBB_OBSERVER: BbbObserver = { observe: () => undefined, bound: () => () => undefined };

/** messageKeys are BBB's camelCase words; anything else (a node's odd answer) is not a label value. */
const MESSAGE_KEY = /^[A-Za-z][A-Za-z0-9]{0,47}$/;

/** Label values bounded: known calls, `index` for the API root, `other` for the rest. */
export function callLabel(call: string): string {
  if (call === '') return 'index';
  return isBbbCall(call) ? call : 'other';
}

export function outcomeLabel(messageKey: string | undefined): string {
  if (messageKey === undefined) return 'success';
  return MESSAGE_KEY.test(messageKey) ? `failed:${messageKey}` : 'failed:other';
}

/**
 * The observer on a registry. Children are cached per (call, outcome): the fast-path join pays one Map lookup
 * and one observe, not prom-client's label hashing (docs/benchmarks.md, metrics on vs off).
 */
export function bbbObserver(metrics: Metrics, tenantKnown: (tenant: string) => boolean): BbbObserver {
  const children = new Map<string, LeanSeries>();
  const series = (call: string, outcome: string): LeanSeries => {
    const key = `${call}\n${outcome}`;
    let child = children.get(key);
    if (child === undefined) {
      child = metrics.bbbRequests.child(callLabel(call), outcome);
      children.set(key, child);
    }
    return child;
  };
  return {
    bound(call, outcome) {
      const child = series(call, outcome);
      return (seconds) => child.observe(seconds);
    },
    observe(call, outcome, seconds, tenant) {
      series(call, outcome).observe(seconds);
      if (outcome === 'failed:checksumError') metrics.checksumFailures.inc({ tenant: tenant !== undefined && tenantKnown(tenant) ? tenant : 'unknown' });
    },
  };
}
