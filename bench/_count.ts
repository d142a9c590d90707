import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startBenchProduct } from './benchProduct.js';
import { withFreshDatabase } from './freshDatabase.js';
const counts = new Map<string, number>();
const orig = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (this: unknown, text: any, ...rest: unknown[]) {
  const t = (typeof text === 'string' ? text : text?.text ?? '?').replace(/\s+/g, ' ').slice(0, 90);
  counts.set(t, (counts.get(t) ?? 0) + 1);
  return orig.call(this, text, ...rest);
};
let redisCalls = new Map<string, number>();
const origSend = (Redis.prototype as any).sendCommand;
(Redis.prototype as any).sendCommand = function (this: unknown, cmd: any) { redisCalls.set(cmd.name, (redisCalls.get(cmd.name) ?? 0) + 1); return origSend.call(this, cmd); };
await withFreshDatabase(async (url) => {
  const p = await startBenchProduct(url, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `cnt-${randomUUID()}:` });
  await p.createMeetings('w', 10);
  counts.clear(); redisCalls.clear();
  const N = 200;
  let i = 0;
  await Promise.all(Array.from({ length: 32 }, async () => { for (let k = i++; k < N; k = i++) { const r = await (await fetch(`${p.origin}${p.path('create', [['name', 'Room x'], ['meetingID', `m-${k}`]])}`)).text(); if (!r.includes('SUCCESS')) throw new Error(r); } }));
  const c = [...counts].sort((a, b) => b[1] - a[1]);
  for (const [t, n] of c) console.log((n / N).toFixed(2), t);
  console.log('redis', [...redisCalls].map(([k, v]) => `${k} ${(v / N).toFixed(2)}`).join(', '));
  await p.stop();
});
