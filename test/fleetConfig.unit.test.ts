import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('fleet settings / default to material load changes of ±2 and 5 % or 10 CPU points, a 30 s grace, no load endpoint', async (t) => {
  t.match(loadConfig({}), { loadReportMinParticipants: 2, loadReportMinPercent: 5, loadReportCpuPoints: 10, reconcileGraceMs: 30_000, nodeLoadPath: undefined, nodeLoadPlainScale: 10_000 });
});

t.test('fleet settings / are read from the environment', async (t) => {
  const env = { LOAD_REPORT_MIN_PARTICIPANTS: '5', LOAD_REPORT_MIN_PERCENT: '10', LOAD_REPORT_CPU_POINTS: '20', RECONCILE_GRACE_MS: '60000', NODE_LOAD_PATH: '/b3lb/load', NODE_LOAD_PLAIN_SCALE: '100' };
  t.match(loadConfig(env), { loadReportMinParticipants: 5, loadReportMinPercent: 10, loadReportCpuPoints: 20, reconcileGraceMs: 60_000, nodeLoadPath: '/b3lb/load', nodeLoadPlainScale: 100 });
});

for (const [variable, value] of [
  ['LOAD_REPORT_MIN_PARTICIPANTS', '0'],
  ['LOAD_REPORT_MIN_PERCENT', '101'],
  ['LOAD_REPORT_CPU_POINTS', 'ten'],
  ['RECONCILE_GRACE_MS', '-5'],
  ['NODE_LOAD_PLAIN_SCALE', '0'],
  ['NODE_LOAD_PATH', 'b3lb/load'],
  ['NODE_LOAD_PATH', 'https://elsewhere/load'],
] as const) {
  t.test(`${variable}=${value} / stops the start naming the variable`, async (t) => {
    t.throws(() => loadConfig({ [variable]: value }), { name: ConfigError.name, message: new RegExp(`^${variable}: `) });
  });
}
