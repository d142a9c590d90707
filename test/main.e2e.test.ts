import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { call } from './support/httpHarness.js';

interface Running {
  child: ChildProcess;
  base: string;
  token: string;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` as `npm start` does, and waits for its "listening" and admin-token log lines. */
async function startMain(t: Test, eventStore: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, EVENTSTORE: eventStore, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.REDIS_URL;
  delete env.ADMIN_JWT_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let base: string | undefined;
  let token: string | undefined;
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; port?: number; adminToken?: string };
    if (entry.msg?.startsWith('listening on') && entry.port) base = `http://127.0.0.1:${entry.port}`;
    if (entry.adminToken) token = entry.adminToken;
    if (base && token) break;
  }
  if (!base || !token) throw new Error(`main.ts exited (code ${await exited}) before announcing its port and admin token`);
  lines.close();
  child.stdout!.resume();
  return { child, base, token, exited };
}

t.test('main: register a node, stop with SIGINT, restart: the node is still listed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-e2e-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const eventStore = `pglite:${join(dir, 'events')}`;

  const first = await startMain(t, eventStore);
  const created = await call(first.base, '/admin/api/v1/nodes', {
    method: 'POST',
    token: first.token,
    body: { url: 'https://bbb1.example.com/bigbluebutton/api/', secret: 's3cr3t', tags: ['eu'], loadFactor: 1 },
  });
  t.equal(created.status, 201);
  t.equal((await call(first.base, '/health')).status, 200);
  first.child.kill('SIGINT');
  t.equal(await first.exited, 0, 'exits 0 on SIGINT');

  const second = await startMain(t, eventStore);
  t.not(second.token, first.token, 'a new key per run when none is configured');
  const listed = await call(second.base, '/admin/api/v1/nodes', { token: second.token });
  t.equal(listed.status, 200);
  t.same(listed.body?.nodes, [created.body], 'rebuilt from the event store');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'exits 0 on SIGTERM');
});
