import t, { type Test } from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { signedApiUrl } from '../../src/domain/bbb/apiUrl.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';

const parser = new XMLParser({ parseTagValue: false });
const SECRET = 'node-secret-1';

async function startNode(t: Test): Promise<BbbNodeSimulator> {
  const node = await new BbbNodeSimulator({ secret: SECRET }).start();
  t.teardown(() => node.stop());
  return node;
}

async function call(node: BbbNodeSimulator, name: string, params: Array<[string, string]>, init?: RequestInit) {
  const res = await fetch(signedApiUrl(node.apiUrl, name, params, SECRET, 'sha256'), { redirect: 'manual', ...init });
  const text = await res.text();
  return { res, text, xml: text.startsWith('<') ? (parser.parse(text) as { response: Record<string, unknown> }).response : undefined };
}

t.test('a simulated node validates checksums like bbb-web', async (t) => {
  const node = await startNode(t);
  const bad = await fetch(`${node.apiUrl}getMeetings?checksum=${'0'.repeat(40)}`);
  t.match(await bad.text(), /<messageKey>checksumError<\/messageKey>/);
  const root = await fetch(node.apiUrl.replace(/\/$/, ''));
  t.match(await root.text(), /<version>2.0<\/version>/, 'the API root needs no checksum');
  const ok = await call(node, 'getMeetings', []);
  t.equal(ok.xml?.messageKey, 'noMeetings');
});

t.test('create, duplicate create, join by redirect, info, end', async (t) => {
  const node = await startNode(t);
  const created = await call(node, 'create', [['name', 'Room'], ['meetingID', 'm-1'], ['meta_bbb-origin', 'greenlight']]);
  t.equal(created.xml?.returncode, 'SUCCESS');
  t.match(String(created.xml?.internalMeetingID), /^[0-9a-f]{40}-\d+$/);
  const again = await call(node, 'create', [['name', 'Room'], ['meetingID', 'm-1']]);
  t.equal(again.xml?.messageKey, 'duplicateWarning');
  t.equal(again.xml?.internalMeetingID, created.xml?.internalMeetingID);
  const clash = await call(node, 'create', [['name', 'Room'], ['meetingID', 'm-1'], ['attendeePW', 'other'], ['moderatorPW', 'x1']]);
  t.equal(clash.xml?.messageKey, 'idNotUnique');

  const fullName = `Zoë "O'Brien" & <co> 李`;
  const joined = await call(node, 'join', [['meetingID', 'm-1'], ['fullName', fullName], ['role', 'MODERATOR']]);
  t.equal(joined.res.status, 302);
  const client = await fetch(joined.res.headers.get('location')!);
  t.equal(client.status, 200, 'the redirect target answers');
  t.equal(node.meetings.get('m-1')?.attendees[0]?.fullName, fullName, 'the name arrives intact');

  const info = await call(node, 'getMeetingInfo', [['meetingID', 'm-1']]);
  t.equal(info.xml?.running, 'true');
  t.equal(info.xml?.participantCount, '1');
  t.same(info.xml?.metadata, { 'bbb-origin': 'greenlight' });
  t.equal((await call(node, 'isMeetingRunning', [['meetingID', 'm-1']])).xml?.running, 'true');
  t.equal((await call(node, 'end', [['meetingID', 'm-1']])).xml?.messageKey, 'sentEndMeetingRequest');
  t.equal((await call(node, 'getMeetingInfo', [['meetingID', 'm-1']])).xml?.messageKey, 'notFound');
});

t.test('create by POST keeps the document body exactly', async (t) => {
  const node = await startNode(t);
  const body = '<modules><module name="presentation"><document url="http://x/a.pdf" filename="a.pdf"/></module></modules>';
  const r = await call(node, 'create', [['name', 'Room'], ['meetingID', 'm-2']], {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body,
  });
  t.equal(r.xml?.returncode, 'SUCCESS');
  t.equal(node.meetings.get('m-2')?.createBody, body);
});

t.test('bad input gets bbb-web errors', async (t) => {
  const node = await startNode(t);
  t.equal((await call(node, 'create', [['meetingID', 'm']])).xml?.messageKey, 'nullError', 'no name');
  t.equal((await call(node, 'create', [['name', 'R']])).xml?.messageKey, 'validationError', 'no meetingID');
  t.equal((await call(node, 'create', [['name', 'R'], ['meetingID', 'a,b']])).xml?.messageKey, 'validationError');
  const unknown = await call(node, 'join', [['meetingID', 'nope'], ['fullName', 'A'], ['redirect', 'false']]);
  t.equal(unknown.xml?.messageKey, 'meetingForciblyEnded');
  t.equal((await call(node, 'end', [['meetingID', 'nope']])).xml?.messageKey, 'notFound');
  t.equal((await call(node, 'isMeetingRunning', [['meetingID', 'nope']])).xml?.running, 'false');
});

t.test('faults: html, garbage, status, hang, reset, kill and restart', async (t) => {
  const node = await startNode(t);
  node.fault = { kind: 'html' };
  t.match((await call(node, 'getMeetings', [])).text, /<html>/i);
  node.fault = { kind: 'garbage' };
  t.equal((await call(node, 'getMeetings', [])).xml, undefined);
  node.fault = { kind: 'status', code: 503 };
  t.equal((await call(node, 'getMeetings', [])).res.status, 503);
  node.fault = { kind: 'hang' };
  await t.rejects(call(node, 'getMeetings', [], { signal: AbortSignal.timeout(200) }), 'a hung node never answers');
  node.fault = { kind: 'reset' };
  await t.rejects(call(node, 'getMeetings', []), 'a reset connection fails the request');
  node.fault = { kind: 'none' };
  await call(node, 'create', [['name', 'R'], ['meetingID', 'keep']]);
  await node.kill();
  await t.rejects(call(node, 'getMeetings', []), 'a killed node refuses connections');
  await node.restart();
  t.equal((await call(node, 'getMeetingInfo', [['meetingID', 'keep']])).xml?.meetingID, 'keep', 'back on the same port');
  await node.kill();
  await node.restart({ forgetMeetings: true });
  t.equal((await call(node, 'getMeetings', [])).xml?.messageKey, 'noMeetings', 'a node that lost its state');
});
