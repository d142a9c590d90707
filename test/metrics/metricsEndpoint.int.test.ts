import t from 'tap';
import { eventually } from '../support/eventually.js';
import { METRICS_TOKEN, scrape, startMetricsProduct } from './metricsSupport.js';

t.test('when a scrape comes without the token / it is refused with 401 and the way in', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_TOKEN });
  const refused = await scrape(base, {});
  t.equal(refused.status, 401);
  t.match(refused.text, /Authorization: Bearer/);
  t.equal((await scrape(base, { authorization: 'Bearer wrong-token-0123456789' })).status, 401, 'a wrong token is refused too');
  const allowed = await scrape(base);
  t.equal(allowed.status, 200);
  t.match(allowed.contentType, /^text\/plain; version=0\.0\.4/);
});

t.test('when the scraper is outside METRICS_ALLOW and no token is set / it is refused with 403', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_ALLOW: '10.0.0.0/8, fd00::/8' });
  const refused = await scrape(base, {});
  t.equal(refused.status, 403);
  t.match(refused.text, /METRICS_ALLOW/);
});

t.test('when the scraper is inside METRICS_ALLOW / it needs no token', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_ALLOW: '127.0.0.0/8,::1' });
  t.equal((await scrape(base, {})).status, 200);
});

t.test('when a Prometheus server asks for OpenMetrics / it gets OpenMetrics, and the text format stays intact afterwards', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_TOKEN });
  const open = await scrape(base, { authorization: `Bearer ${METRICS_TOKEN}`, accept: 'application/openmetrics-text; version=1.0.0,text/plain;q=0.5' });
  t.match(open.contentType, /^application\/openmetrics-text/);
  t.match(open.text, /# EOF\n$/);
  t.match(open.text, /# TYPE bbb_ledger_checksum_failures counter/);
  const text = await scrape(base);
  t.match(text.text, /# TYPE bbb_ledger_checksum_failures_total counter/, 'counters keep _total in the text format');
});

t.test('when BBB calls are made / they are counted by call and outcome, checksum failures by tenant, and no meeting ID is a label', async (t) => {
  const { base, bbbPath } = await startMetricsProduct(t, { METRICS_TOKEN });
  const meetingID = 'secret-meeting-name-42';
  const created = await (await fetch(`${base}${bbbPath('create', [['meetingID', meetingID], ['name', 'Room'], ['moderatorPW', 'mp']])}`)).text();
  t.match(created, /SUCCESS/);
  const join = await fetch(`${base}${bbbPath('join', [['meetingID', meetingID], ['fullName', 'Ada Lovelace'], ['password', 'mp']])}`, { redirect: 'manual' });
  t.equal(join.status, 302);
  t.match(await (await fetch(`${base}${bbbPath('getMeetings', [])}`)).text(), /SUCCESS/);
  const missing = await (await fetch(`${base}${bbbPath('getMeetingInfo', [['meetingID', 'nope']])}`)).text();
  t.match(missing, /notFound/);
  t.match(await (await fetch(`${base}/t/acme/bigbluebutton/api/getMeetings?checksum=00`)).text(), /checksumError/);
  t.match(await (await fetch(`${base}/t/nobody/bigbluebutton/api/getMeetings?checksum=00`)).text(), /checksumError/);

  const { text } = await scrape(base);
  t.match(text, /bbb_ledger_bbb_request_duration_seconds_count\{call="create",outcome="success"\} 1/);
  t.match(text, /bbb_ledger_bbb_request_duration_seconds_count\{call="join",outcome="success"\} 1/, 'the fast-path join is counted');
  t.match(text, /bbb_ledger_bbb_request_duration_seconds_count\{call="getMeetings",outcome="success"\} 1/);
  t.match(text, /bbb_ledger_bbb_request_duration_seconds_count\{call="getMeetingInfo",outcome="failed:notFound"\} 1/);
  t.match(text, /bbb_ledger_bbb_request_duration_seconds_count\{call="getMeetings",outcome="failed:checksumError"\} 2/);
  t.match(text, /bbb_ledger_checksum_failures_total\{tenant="acme"\} 1/);
  t.match(text, /bbb_ledger_checksum_failures_total\{tenant="unknown"\} 1/, 'an unregistered tenant name is not a label value');
  t.match(text, /bbb_ledger_node_calls_total\{node="[^"]+",call="create",outcome="success"\} 1/);
  t.match(text, /bbb_ledger_eventstore_append_duration_seconds_count\{outcome="success"\} \d+/);
  t.match(text, /bbb_ledger_poll_duration_seconds_count\{outcome="success"\} \d+/);
  t.match(text, /bbb_ledger_saga_lease_held\{saga="fleet"\} 1/);
  t.match(text, /bbb_ledger_saga_queue_depth\{saga="joins"\} \d+/);
  t.match(text, /bbb_ledger_saga_queue_depth\{saga="recordingImport"\} 0/);
  t.match(text, /bbb_ledger_saga_queue_oldest_age_seconds\{saga="recordingImport"\} 0/);
  t.match(text, /# HELP bbb_ledger_tenant_recordings \S/);
  t.match(text, /# HELP bbb_ledger_tenant_recording_bytes \S/);
  t.match(text, /bbb_ledger_projection_lag_events\{projection="metricsRecordings"\} \d+/);
  t.match(text, /bbb_ledger_tenant_meetings\{tenant="acme"\} 1/);
  t.match(text, /bbb_ledger_node_meetings\{node="[^"]+"\} 1/);
  t.match(text, /bbb_ledger_node_health\{node="[^"]+",health="available"\} 1/);
  t.match(text, /bbb_ledger_placements_total\{node="[^"]+"\} 1/);
  t.match(text, /bbb_ledger_projection_lag_events\{projection="meetingList"\} \d+/);
  t.match(text, /process_cpu_seconds_total/, 'process metrics');
  t.notMatch(text, new RegExp(meetingID), 'no meeting ID anywhere');
  t.notMatch(text, /Ada Lovelace|acme-secret|sim-1-secret/, 'no user name, no secret');
  for (const family of text.matchAll(/^# TYPE (\S+) /gm)) t.match(text, new RegExp(`^# HELP ${family[1]} \\S`, 'm'), `${family[1]} has help`);
});

t.test('when metrics are disabled / /metrics is not served', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_ENABLED: 'false' });
  t.equal((await scrape(base, {})).status, 404);
});

t.test('when the autoscale saga looks at the fleet / its recommendation is recorded with the numbers and shown as gauges', async (t) => {
  const { base, composed } = await startMetricsProduct(t, { METRICS_TOKEN, AUTOSCALE_INTERVAL_MS: '1000', MINIMUM_ACTIVE_MACHINES: '2' });
  await eventually('a recommendation is recorded', async () => {
    for await (const event of composed.store.readAll()) if (event.type === 'AutoscaleRecommendationChanged') return true;
    return false;
  });
  const { text } = await scrape(base);
  t.match(text, /^bbb_ledger_autoscale_recommendation 1$/m, 'one node, a minimum of two: add one');
  t.match(text, /^bbb_ledger_autoscale_desired_nodes 2$/m);
  t.match(text, /bbb_ledger_saga_lease_held\{saga="autoscale"\} 1/);
});
