/**
 * Many BBB nodes on few ports for the poll bench, in its own process so its CPU is not the balancer's:
 * `/n<i>/bigbluebutton/api/getMeetings` answers node i's meetings (pre-rendered, checksums not checked),
 * `/n<i>/b3lb/load` a plain CPU figure. One meeting per node gains or loses a participant every poll.
 * Prints `{"ports":[…]}` once listening. Args: nodes, meetings per node, attendees per meeting, ports.
 */
import { createServer } from 'node:http';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import { meetingsResponseOf, meetingXml } from '../src/domain/bbb/responses.js';
import { addAttendee, newMeeting } from '../src/simulator/simulatedMeetings.js';

const [nodes = 1000, meetingsPerNode = 20, attendees = 10, portCount = 4] = process.argv.slice(2).map(Number);
const created = Date.now() - 3_600_000;

function meetingOf(node: number, m: number, people: number): string {
  const meeting = newMeeting({ meetingID: nodeMeetingIdOf('bench', `n${node}-m${m}`), name: `Room ${node}/${m}`, 'meta_bbb-origin': 'bench' }, undefined, created);
  meeting.internalMeetingID = `int-n${node}-m${m}`;
  for (let a = 0; a < people; a++) {
    addAttendee(meeting, { userID: `w_${node}_${m}_${a}`, fullName: `Participant ${a}`, role: a === 0 ? 'MODERATOR' : 'VIEWER', customdata: {}, hasJoinedVoice: a % 2 === 0, hasVideo: a % 5 === 0 });
  }
  return meetingXml(meeting);
}

// Two answers per node: meeting 0 with one attendee more or less, alternating per request.
const answers = Array.from({ length: nodes }, (_, node) => {
  const rest = Array.from({ length: meetingsPerNode - 1 }, (_, m) => meetingOf(node, m + 1, attendees));
  return [meetingsResponseOf([meetingOf(node, 0, attendees), ...rest]), meetingsResponseOf([meetingOf(node, 0, attendees + 1), ...rest])];
});
const requests = new Uint32Array(nodes);

const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const match = /^\/n(\d+)\/(bigbluebutton\/api\/getMeetings|b3lb\/load)/.exec(req.url ?? '');
  const node = match ? Number(match[1]) : -1;
  if (!match || node >= nodes) {
    res.writeHead(404).end();
    return;
  }
  if (match[2] === 'b3lb/load') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('3500\n');
    return;
  }
  const body = answers[node]![requests[node]!++ % 2]!;
  res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' }).end(body);
};

const ports: number[] = [];
for (let p = 0; p < portCount; p++) {
  const server = createServer({ keepAlive: true }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address && typeof address === 'object') ports.push(address.port);
}
process.stdout.write(`${JSON.stringify({ ports, bytesPerAnswer: answers[0]![0]!.length })}\n`);
