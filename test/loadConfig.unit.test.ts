import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_LOAD_WEIGHTS } from '../src/domain/placement/loadDefaults.js';

t.test('LOAD_* / absent, the documented defaults', async (t) => {
  t.same(loadConfig({}).loadWeights, DEFAULT_LOAD_WEIGHTS);
  t.same(DEFAULT_LOAD_WEIGHTS, { participant: 1, meeting: 15, breakoutMeeting: 5, cpuMax: 5000, cpuOrder: 6, reservedSeats: 20, sizeHintMax: 100, cooldownMs: 300_000 });
});

t.test('LOAD_* / given, each lands in its weight (the cool-down in seconds)', async (t) => {
  const weights = loadConfig({
    LOAD_PARTICIPANT_WEIGHT: '1.5',
    LOAD_MEETING_WEIGHT: '30',
    LOAD_BREAKOUT_WEIGHT: '0',
    LOAD_CPU_MAX: '8000',
    LOAD_CPU_ORDER: '4',
    LOAD_RESERVED_SEATS: '25',
    LOAD_SIZE_HINT_MAX: '250',
    LOAD_COOLDOWN_SECONDS: '600',
  }).loadWeights;
  t.same(weights, { participant: 1.5, meeting: 30, breakoutMeeting: 0, cpuMax: 8000, cpuOrder: 4, reservedSeats: 25, sizeHintMax: 250, cooldownMs: 600_000 });
});

t.test('PLACEMENT_MEETING_WEIGHT / the old name still sets the meeting weight, LOAD_MEETING_WEIGHT wins', async (t) => {
  t.equal(loadConfig({ PLACEMENT_MEETING_WEIGHT: '20' }).loadWeights.meeting, 20);
  t.equal(loadConfig({ PLACEMENT_MEETING_WEIGHT: '20', LOAD_MEETING_WEIGHT: '25' }).loadWeights.meeting, 25);
  t.throws(() => loadConfig({ PLACEMENT_MEETING_WEIGHT: 'x' }), /^PLACEMENT_MEETING_WEIGHT: /);
});

t.test('LOAD_* / a wrong value stops the start naming the variable', async (t) => {
  const wrong: Array<[string, string]> = [
    ['LOAD_PARTICIPANT_WEIGHT', '-1'],
    ['LOAD_MEETING_WEIGHT', 'fifteen'],
    ['LOAD_BREAKOUT_WEIGHT', '1e3'],
    ['LOAD_CPU_MAX', '2000000'],
    ['LOAD_CPU_ORDER', '2.5'],
    ['LOAD_CPU_ORDER', '21'],
    ['LOAD_RESERVED_SEATS', '-5'],
    ['LOAD_SIZE_HINT_MAX', 'lots'],
    ['LOAD_COOLDOWN_SECONDS', '86401'],
  ];
  for (const [name, value] of wrong) {
    t.throws(() => loadConfig({ [name]: value }), ConfigError, `${name}=${value}`);
    t.throws(() => loadConfig({ [name]: value }), new RegExp(`^${name}: `));
  }
});

t.test('JOIN_RECORD_WINDOW_MS / defaults to 250, reads 0–60000, and stops the start otherwise', async (t) => {
  t.equal(loadConfig({}).joinRecordWindowMs, 250);
  t.equal(loadConfig({ JOIN_RECORD_WINDOW_MS: '0' }).joinRecordWindowMs, 0);
  t.equal(loadConfig({ JOIN_RECORD_WINDOW_MS: '1000' }).joinRecordWindowMs, 1000);
  for (const value of ['-1', '60001', '0.5', 'soon']) {
    t.throws(() => loadConfig({ JOIN_RECORD_WINDOW_MS: value }), { name: ConfigError.name, message: new RegExp(`^JOIN_RECORD_WINDOW_MS: "${value}" is not an integer from 0 to 60000`) });
  }
});
