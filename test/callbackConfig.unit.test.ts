import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('PUBLIC_URL / absent, the request origin is used; given, kept without trailing slashes; not http(s) stops the start', async (t) => {
  t.equal(loadConfig({}).recordings.publicUrl, undefined);
  t.equal(loadConfig({ PUBLIC_URL: 'https://lb.example.com/' }).recordings.publicUrl, 'https://lb.example.com');
  for (const bad of ['lb.example.com', 'ftp://lb.example.com']) {
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
