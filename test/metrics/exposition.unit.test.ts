import t from 'tap';
import { exposer } from '../../src/metrics/exposition.js';
import { registerFleetGauges } from '../../src/metrics/fleetGauges.js';
import { Metrics } from '../../src/metrics/registry.js';
import { UsageModel } from '../../src/metrics/usageModel.js';

const HOSTILE = 'ac"me\\x\ny} 1\n# EOF';

t.test('when a tenant or node name holds quotes, backslashes and newlines / the label value is escaped and the exposition stays well formed', async (t) => {
  const metrics = new Metrics();
  const usage = new UsageModel();
  usage.apply([{ op: 'tenant', tenant: HOSTILE }, { op: 'nodeLoad', node: HOSTILE, voice: 2, video: 1 }]);
  const node = { id: HOSTILE, apiUrl: 'http://n/', secret: 's', checksumAlgorithm: 'sha256' as const, adminState: 'enabled' as const, health: 'available' as const, meetings: 0, participants: 0, cpu: null, breakoutMeetings: 0, loadFactor: 1, tags: [] };
  registerFleetGauges(metrics, { usage, nodes: () => [node], loadOf: () => 0, tenantLimits: () => [] });
  for (const openMetrics of [false, true]) {
    const { body } = await exposer(metrics.registry)(openMetrics);
    t.match(body, 'bbb_ledger_tenant_meetings{tenant="ac\\"me\\\\x\\ny} 1\\n# EOF"} 0');
    t.match(body, 'bbb_ledger_node_voice_participants{node="ac\\"me\\\\x\\ny} 1\\n# EOF"} 2');
    // Every line is a comment or `name{labels} value`: no label value broke out onto a line of its own.
    for (const line of body.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) t.match(line, /^[a-zA-Z_:][\w:]*(\{.*\})? \S+$/, line);
    t.equal(body.split('\n').filter((l) => l === '# EOF').length, openMetrics ? 1 : 0, 'one EOF, only in OpenMetrics');
  }
});

t.test('when scrapes of both formats overlap / each gets its own format and counters keep _total', async (t) => {
  const metrics = new Metrics();
  metrics.appendConflicts.inc();
  const render = exposer(metrics.registry);
  const [open, text] = await Promise.all([render(true), render(false)]);
  t.match(open.body, /^bbb_ledger_eventstore_append_conflicts_total 1$/m);
  t.match(open.body, /# TYPE bbb_ledger_eventstore_append_conflicts counter/);
  t.match(text.body, /# TYPE bbb_ledger_eventstore_append_conflicts_total counter/);
  t.notMatch(text.body, /# EOF/);
});
