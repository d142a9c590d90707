import { Registry } from 'prom-client';

export interface Exposition {
  contentType: string;
  body: string;
}

/** Prometheus scrapers ask for OpenMetrics first; anything else (curl, old servers) gets the text format 0.0.4. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

/**
 * Renders one registry in either format. prom-client fixes the format per registry and, rendering
 * OpenMetrics, renames counters in place (drops `_total`): so renders take turns, and every counter gets
 * its name back afterwards.
 */
export function exposer(registry: Registry): (openMetrics: boolean) => Promise<Exposition> {
  let turn: Promise<unknown> = Promise.resolve();
  const render = async (openMetrics: boolean): Promise<Exposition> => {
    if (!openMetrics) return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await registry.metrics() };
    const named = registry.getMetricsAsArray() as unknown as Array<{ name: string }>;
    const names = named.map((metric) => [metric, metric.name] as const);
    // The typings fix a registry's format at construction; prom-client itself switches it.
    const switchable = registry as unknown as Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE | typeof Registry.PROMETHEUS_CONTENT_TYPE>;
    switchable.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    try {
      return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: await registry.metrics() };
    } finally {
      switchable.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
      for (const [metric, name] of names) metric.name = name;
    }
  };
  return (openMetrics) => {
    const next = turn.then(() => render(openMetrics));
    turn = next.catch(() => undefined);
    return next;
  };
}
