/**
 * HTTP load through wrk (Debian's `wrk`, C + epoll): it runs in its own process, so it neither shares the
 * Node event loop with the servers under test nor pays Node's HTTP client costs; with one thread it takes
 * one of the two cores and leaves the other to the server. A Lua script cycles through pre-signed request
 * paths, counts answers with an unexpected status, stops after `maxRequests` and prints JSON. wrk's main
 * thread sleeps for the whole duration even when its threads stopped early; a SIGINT ends that sleep and
 * it still reports, so the count limit is enforced by signalling it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadOptions {
  /** `http://127.0.0.1:port` (loopback only). */
  origin: string;
  /** Path and query of every request, used in turn. */
  paths: readonly string[];
  expectedStatus: number;
  connections: number;
  seconds: number;
  maxRequests: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors, timeouts and answers with another status than expected. */
  failures: number;
}

const SCRIPT = `
local paths, n, limit, expected = {}, 0, 0, 0
unexpected, answered = 0, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  expected, limit = tonumber(args[2]), tonumber(args[3])
  n = math.random(#paths)
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
function response(status)
  if status ~= expected then unexpected = unexpected + 1 end
  answered = answered + 1
  if answered == limit then
    io.write("LIMIT\\n")
    io.flush()
    wrk.thread:stop()
  end
end
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function done(summary, latency)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("unexpected") end
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"durationUs":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"failures":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    bad + e.connect + e.read + e.write + e.timeout))
end
`;

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(options.origin);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error(`refusing to load ${options.origin}: loopback only`);
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-wrk-'));
  try {
    const script = join(dir, 'load.lua');
    const pathsFile = join(dir, 'paths.txt');
    await writeFile(script, SCRIPT);
    await writeFile(pathsFile, `${options.paths.join('\n')}\n`);
    const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '5s', '-s', script, options.origin, '--'];
    const output = await run('wrk', [...args, pathsFile, String(options.expectedStatus), String(options.maxRequests)]);
    const line = output.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${output}`);
    const raw = JSON.parse(line.slice('RESULT '.length)) as Record<'requests' | 'durationUs' | 'p50' | 'p95' | 'p99' | 'max' | 'failures', number>;
    const ms = (us: number) => us / 1000;
    return {
      requests: raw.requests,
      perSecond: Math.round((raw.requests * 1e6) / raw.durationUs),
      p50Ms: ms(raw.p50),
      p95Ms: ms(raw.p95),
      p99Ms: ms(raw.p99),
      maxMs: ms(raw.max),
      failures: raw.failures,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!signalled && output.includes('LIMIT\n')) signalled = child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`))));
  });
}
