import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('PUBLIC_URL / absent, the request origin is used; given, kept without trailing slashes', async (t) => {
  t.equal(loadConfig({}).publicUrl, undefined);
  t.equal(loadConfig({ PUBLIC_URL: 'https://lb.example.com/' }).publicUrl, 'https://lb.example.com');
  t.equal(loadConfig({ PUBLIC_URL: 'https://example.com/lb//' }).publicUrl, 'https://example.com/lb');
});

t.test('PUBLIC_URL / not an http(s) origin, or with a query or fragment, stops the start naming it', async (t) => {
  for (const bad of ['lb.example.com', 'ftp://lb.example.com', 'https://lb.example.com/?x=1', 'https://lb.example.com/#top']) {
    t.throws(() => loadConfig({ PUBLIC_URL: bad }), { name: ConfigError.name, message: /^PUBLIC_URL: / }, bad);
  }
});

t.test('CALLBACK_SECRET / shorter than 32 characters stops the start; absent falls back in compose', async (t) => {
  t.throws(() => loadConfig({ CALLBACK_SECRET: 'short' }), { message: /^CALLBACK_SECRET: must be at least 32 characters/ });
  t.equal(loadConfig({}).callbackSecret, undefined);
  t.equal(loadConfig({ CALLBACK_SECRET: 'c'.repeat(32) }).callbackSecret, 'c'.repeat(32));
});

t.test('DELIVERY_QUEUE_PER_TENANT / default 1000, 1 to 1000000', async (t) => {
  t.equal(loadConfig({}).deliveryQueuePerTenant, 1000);
  t.equal(loadConfig({ DELIVERY_QUEUE_PER_TENANT: '5' }).deliveryQueuePerTenant, 5);
  for (const bad of ['0', '-1', '1.5', '1000001', 'many']) t.throws(() => loadConfig({ DELIVERY_QUEUE_PER_TENANT: bad }), { message: /^DELIVERY_QUEUE_PER_TENANT: / }, bad);
});
