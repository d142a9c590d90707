import t from 'tap';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { instrumentedEventStore } from '../../src/metrics/instrumentedPorts.js';
import { Metrics } from '../../src/metrics/registry.js';

t.test('an instrumented event store / passes the store\'s availability through (what /health reads)', async (t) => {
  const down = { available: false as const, since: '2026-12-04T00:00:00.000Z', reason: 'Query read timeout' };
  const inner: EventStore = Object.assign(new MemoryEventStore(), { availability: () => down });
  t.same(instrumentedEventStore(inner, new Metrics()).availability?.(), down);
  t.equal(instrumentedEventStore(new MemoryEventStore(), new Metrics()).availability, undefined, 'absent stays absent (in-process, always available)');
});
