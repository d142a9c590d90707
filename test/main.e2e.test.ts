import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { call } from './support/httpHarness.js';

interface Running {
  child: ChildProcess;
  base: string;
  /** The generated admin token from the JSON log; undefined when ADMIN_JWT_SECRET is set. */
  token: string | undefined;
  /** What it wrote on stderr so far. */
  stderr(): string;
  exited: Promise<number | null>;
}

// What `npm start`'s prestart does: src/ compiled to dist/main.js, which plain node runs.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

/** Starts dist/main.js as `npm start` does, and waits for its "listening" log line (and the admin token's, unless `env` pins a key). */
async function startMain(t: Test, eventStore: string, extraEnv: Record<string, string> = {}): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, EVENTSTORE: eventStore, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.REDIS_URL;
  delete env.ADMIN_JWT_SECRET;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const wantsToken = extraEnv.ADMIN_JWT_SECRET === undefined;
  let base: string | undefined;
  let token: string | undefined;
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; port?: number; adminToken?: string };
    if (entry.msg?.startsWith('listening on') && entry.port) base = `http://127.0.0.1:${entry.port}`;
    if (entry.adminToken) token = entry.adminToken;
    if (base && (token || !wantsToken)) break;
  }
  if (!base || (wantsToken && !token)) throw new Error(`main.ts exited (code ${await exited}) before announcing its port and admin token: ${stderr}`);
  lines.close();
  child.stdout!.resume();
  return { child, base, token, stderr: () => stderr, exited };
}

t.test('main: register a node, stop with SIGINT, restart: the node is still listed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-e2e-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const eventStore = `pglite:${join(dir, 'events')}`;

  const first = await startMain(t, eventStore);
  await access(join(dir, 'events', 'PG_VERSION'));
  t.pass('the first start created the embedded database (its initdb runs in a child process)');
  t.ok(first.stderr().split('\n').includes(first.token!), 'the admin token stands alone on a line of its own (stderr)');
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
  const index = await call(second.base, '/');
  t.match(index.body, { name: 'bbb-ledger', version: /^\d+\.\d+\.\d+/ }, 'the compiled build finds package.json');
  t.match(await (await fetch(`${second.base}/docs`)).text(), /^# bbb-ledger/, 'and README.md beside it');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'exits 0 on SIGTERM');
});

t.test('main with ADMIN_JWT_SECRET / prints no token; `ledger admin-token` mints one the server takes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-e2e-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const pinned = { ADMIN_JWT_SECRET: 'a-pinned-admin-key-of-at-least-32-characters' };
  const server = await startMain(t, `pglite:${join(dir, 'events')}`, pinned);
  t.equal(server.token, undefined);
  t.notMatch(server.stderr(), /Admin API token/);
  const minted = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ledger.ts', 'admin-token', '--ttl', '600'], { env: { ...process.env, ...pinned }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    cli.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    cli.once('exit', (code) => resolve({ code, out }));
  });
  t.equal(minted.code, 0);
  const token = minted.out.trim();
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the token alone on stdout');
  t.equal((await call(server.base, '/admin/api/v1/nodes', { token })).status, 200);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
