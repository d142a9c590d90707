import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { METRICS_TOKEN, scrape, startMetricsProduct } from '../metrics/metricsSupport.js';

// Prometheus' own tool checks what a grep cannot: that the rules parse as PromQL, that each alert fires on the
// series it is meant for (infra/prometheus/bbb-ledger.rules.test.yml), and that a real /metrics answer follows
// the naming conventions. .ci/run installs it (Debian's prometheus package).
const run = promisify(execFile);
const PROMETHEUS_DIR = fileURLToPath(new URL('../../infra/prometheus/', import.meta.url));

// prom-client's default Node.js families break one convention (gauges named *_total); they are not ours to rename.
const PROM_CLIENT_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function promtool(args: string[], stdin?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', args, { cwd: PROMETHEUS_DIR });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(stdin ?? '');
  });
}

t.test('promtool is installed (.ci/run installs Debian\'s prometheus package)', async (t) => {
  const { stdout, stderr } = await run('promtool', ['--version']);
  t.match(`${stdout}${stderr}`, /promtool, version \d+\./);
});

t.test('the alert rules parse', async (t) => {
  const { code, output } = await promtool(['check', 'rules', 'bbb-ledger.rules.yml']);
  t.equal(code, 0, output);
  t.match(output, /SUCCESS: \d+ rules found/);
});

t.test('every alert fires on the series it is written for, with its labels and text, and not on the others', async (t) => {
  const { code, output } = await promtool(['test', 'rules', 'bbb-ledger.rules.test.yml']);
  t.equal(code, 0, output);
  t.match(output, 'SUCCESS');
});

t.test('a real /metrics answer passes promtool\'s naming lint, but for prom-client\'s own defaults', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_TOKEN });
  const { text } = await scrape(base);
  t.match(text, /^# HELP bbb_ledger_/m);
  const { output } = await promtool(['check', 'metrics'], text);
  const complaints = output.split('\n').filter((line) => line.trim() !== '' && !PROM_CLIENT_DEFAULTS.some((name) => line.startsWith(`${name} `)));
  t.same(complaints, [], 'no complaint about a family of ours');
});
