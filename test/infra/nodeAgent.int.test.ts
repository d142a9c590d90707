import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parseNodeResources } from '../../src/domain/node/load.js';

const run = promisify(execFile);
const AGENT = join(import.meta.dirname, '../../infra/node-agent/bbb-ledger-load');

// /proc/stat: aggregate line (user nice system idle iowait irq softirq steal guest guest_nice), then per core
const stat = (user: number, system: number, idle: number) =>
  `cpu  ${user} 0 ${system} ${idle} 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\nintr 0\n`;

t.test('the agent computes utilisation x 10000 between two /proc/stat snapshots', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'agent-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'a'), stat(100, 100, 800));
  await writeFile(join(dir, 'b'), stat(200, 200, 1000));
  const { stdout } = await run('bash', [AGENT, 'compute', join(dir, 'a'), join(dir, 'b')]);
  t.equal(stdout.trim(), '5000', '200 busy of 400 jiffies = 50 %');
  const idle = await run('bash', [AGENT, 'compute', join(dir, 'a'), join(dir, 'a')]);
  t.equal(idle.stdout.trim(), '0', 'no time passed: 0, not a division by zero');
});

t.test('the agent publishes the B3LB number and JSON atomically', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'agent-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'stat'), stat(100, 100, 800));
  await run('bash', [AGENT, '--ticks', '2'], {
    env: { ...process.env, BBB_LEDGER_PROC_STAT: join(dir, 'stat'), BBB_LEDGER_LOAD_DIR: join(dir, 'out'), BBB_LEDGER_LOAD_INTERVAL: '0.05' },
  });
  t.equal((await readFile(join(dir, 'out/load'), 'utf8')).trim(), '0');
  const json = JSON.parse(await readFile(join(dir, 'out/load.json'), 'utf8')) as Record<string, unknown>;
  t.match(json, { cpu: 0, cpu10s: 0, cpu60s: 0, cores: 2 });
  t.match(String(json.at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

t.test('the agent also publishes memory in use and the recordings waiting to be processed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'agent-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'stat'), stat(100, 100, 800));
  await writeFile(join(dir, 'meminfo'), 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\n');
  const status = join(dir, 'status');
  await mkdir(join(status, 'recorded'), { recursive: true });
  await mkdir(join(status, 'processed'), { recursive: true });
  for (const id of ['m1-1', 'm2-2', 'm3-3']) await writeFile(join(status, 'recorded', `${id}.done`), '');
  await writeFile(join(status, 'processed', 'm2-2-presentation.done'), '');
  await run('bash', [AGENT, '--ticks', '1'], {
    env: { ...process.env, BBB_LEDGER_PROC_STAT: join(dir, 'stat'), BBB_LEDGER_PROC_MEMINFO: join(dir, 'meminfo'), BBB_LEDGER_RECORDING_STATUS: status, BBB_LEDGER_LOAD_DIR: join(dir, 'out'), BBB_LEDGER_LOAD_INTERVAL: '0.05' },
  });
  const json = JSON.parse(await readFile(join(dir, 'out/load.json'), 'utf8')) as Record<string, unknown>;
  t.match(json, { memory: 0.625, memoryTotalBytes: 16_384_000_000, recordingsWaiting: 2 });
  t.equal(parseNodeResources(JSON.stringify(json), 10_000).memory, 0.625, 'the balancer reads the memory share');
});
