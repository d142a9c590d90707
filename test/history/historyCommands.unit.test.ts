import t from 'tap';
import { asOfCommand, historyCommand, whyCommand } from '../../src/cli/historyCommands.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { at, writeAuditedMorning } from './auditedLog.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

async function cli() {
  const store = new MemoryEventStore();
  await writeAuditedMorning(store);
  const output = { out: '', err: '' };
  const out = (text: string) => void (output.out += text);
  const err = (text: string) => void (output.err += text);
  return { store, output, out, err };
}

t.test('ledger history <stream> / one line per event with actor, correlation and causation', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await historyCommand(['node-n1'], store, out, err), 0);
  const lines = output.out.trim().split('\n');
  t.equal(lines.length, 3);
  t.match(lines[2], /^2\t2026-11-20T11:00:00.000Z\tNodeCordoned\tadmin:bob\tcorrelation=req-cordon\tcausation=req-cordon\t\{"nodeId":"n1"\}$/);
  t.notMatch(output.out, /node-very-secret/);
});

t.test('ledger history --json / JSON lines', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await historyCommand(['tenant-acme', '--json'], store, out, err), 0);
  const events = output.out.trim().split('\n').map((l) => JSON.parse(l));
  t.match(events, [{ type: 'TenantRegistered', actor: 'admin:alice' }, { type: 'TenantSecretAdded', data: { secret: '[redacted]' } }]);
});

t.test('ledger history / a missing stream exits 1 with the reason, no stream is usage', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await historyCommand(['node-n9'], store, out, err), 1);
  t.match(output.err, /node-n9 does not exist/);
  t.equal(await historyCommand([], store, out, err), 2);
});

t.test('ledger as-of / the fleet, or one stream with --stream', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await asOfCommand([at('11:45')], store, out, err, NOW), 0);
  t.match(JSON.parse(output.out), { nodes: [{ nodeId: 'n1', adminState: 'cordoned', meetings: [{ meetingID: 'physics' }] }, { nodeId: 'n2' }] });
  output.out = '';
  t.equal(await asOfCommand([at('10:30'), '--stream', 'node-n1'], store, out, err, NOW), 0);
  t.match(JSON.parse(output.out), { state: { adminState: 'enabled' } });
});

t.test('ledger as-of / a malformed or future instant exits 1 naming it', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await asOfCommand(['last tuesday'], store, out, err, NOW), 1);
  t.equal(await asOfCommand(['2027-01-01T00:00:00Z'], store, out, err, NOW), 1);
  t.match(output.err, /not an ISO-8601 instant[\s\S]*in the future/);
});

t.test('ledger why / the placement and the fleet before it', async (t) => {
  const { store, output, out, err } = await cli();
  t.equal(await whyCommand(['acme', 'chemistry'], store, out, err), 0);
  t.match(JSON.parse(output.out), { placement: { data: { nodeId: 'n2' } }, fleetBefore: { nodes: [{ nodeId: 'n1', adminState: 'cordoned' }, {}] } });
});
