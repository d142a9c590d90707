import t from 'tap';
import { DeliveryQueues } from '../../../src/sagas/deliveries/deliveryQueues.js';

t.test('given waiting callbacks and hook messages / then depth and oldest age per kind, an empty queue reads 0', async (t) => {
  const queues = new DeliveryQueues();
  t.same(queues.reading('hooks', 10_000), { depth: 0, oldestAgeSeconds: 0 });
  queues.waits('end-abc-1-endCallbackUrl', 4_000);
  queues.waits('ready-rec1', 7_000);
  queues.waits('hook-acme-1-e1', 9_000);
  queues.waits('hook-acme-1-e1', 9_500);
  t.same(queues.reading('callbacks', 10_000), { depth: 2, oldestAgeSeconds: 6 });
  t.same(queues.reading('hooks', 10_000), { depth: 1, oldestAgeSeconds: 1 }, 'a delivery seen again keeps its request time');
  queues.done('end-abc-1-endCallbackUrl');
  t.same(queues.reading('callbacks', 10_000), { depth: 1, oldestAgeSeconds: 3 });
  queues.clear();
  t.same(queues.reading('callbacks', 10_000), { depth: 0, oldestAgeSeconds: 0 });
});
