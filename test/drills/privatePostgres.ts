/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, loopback, a free port), so a drill can freeze,
 * stop and restart it without touching the shared server. Runs as the `postgres` OS user when the test runs
 * as root (PostgreSQL refuses root). Always killed and removed in teardown.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { eventually } from '../support/eventually.js';

export interface PrivatePostgres {
  url: string;
  /** SIGSTOP to the server and all its processes: connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
  /** A clean (fast) shutdown: connections are closed, new ones refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPrivatePostgres(t: Test): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-drill-pg-'));
  const data = join(dir, 'data');
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...as, stdio: 'ignore' });
  const port = await freePort();
  let server: ChildProcess | undefined;
  const processes = (): number[] => {
    if (!server?.pid) return [];
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.pid)]).toString().split('\n').map(Number).filter((pid) => pid > 0);
    return [server.pid, ...children];
  };
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of processes()) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const start = async () => {
    const child = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'], { ...as, stdio: 'ignore' });
    server = child;
    const ready = () => {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    await eventually(`private PostgreSQL on port ${port} ready`, () => child.exitCode === null && ready(), 30_000);
  };
  const stop = async () => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  };
  t.teardown(async () => {
    signal('SIGCONT');
    signal('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    stop,
    start,
  };
}
