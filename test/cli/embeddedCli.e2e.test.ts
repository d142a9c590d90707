import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { DataDirInUseError, lockDataDir } from '../../src/eventstore/postgres/dataDirLock.js';

/** The ledger CLI on the embedded default, as a newcomer runs it next to `npm start`. */
function ledger(args: string[], eventStore: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, EVENTSTORE: eventStore };
  delete env.REDIS_URL;
  delete env.DATABASE_URL;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ledger.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

t.test('ledger rebuild --all on the embedded default / says nothing was rebuilt and why, exit 0', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const run = ledger(['rebuild', '--all'], `pglite:${join(dir, 'events')}`);
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /^nothing rebuilt: without REDIS_URL and DATABASE_URL every read model lives in the bbb-ledger process .*restart bbb-ledger/);
});

t.test('a CLI command on a PGlite directory a running instance holds / refuses plainly; after the stop it works', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const eventStore = `pglite:${join(dir, 'events')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, EVENTSTORE: eventStore, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.REDIS_URL;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  t.teardown(() => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  });
  const lines = createInterface({ input: server.stdout! });
  for await (const line of lines) if ((JSON.parse(line) as { msg?: string }).msg?.startsWith('listening on')) break;
  lines.close();
  server.stdout!.resume();

  const refused = ledger(['history', 'tenant-acme'], eventStore);
  t.equal(refused.status, 1);
  t.match(refused.stderr, new RegExp(`in use by a running bbb-ledger \\(process ${server.pid}\\); stop it first`));
  t.notMatch(refused.stderr, /\n\s+at /, 'no stack trace');

  server.kill('SIGINT');
  t.equal(await exited, 0);
  const after = ledger(['history', 'tenant-acme'], eventStore);
  t.not(after.stderr, refused.stderr, 'the directory is free once the instance stopped');
  t.notMatch(after.stderr, /in use/);
});

t.test('the lock / a file left by a process that is gone is taken over; a live holder refuses', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-lock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await writeFile(join(dir, 'bbb-ledger.pid'), `${gone.stdout}\n`);
  const release = await lockDataDir(dir);
  await t.rejects(lockDataDir(dir), DataDirInUseError, 'held by this process now');
  await release();
  const again = await lockDataDir(dir);
  await again();
});
