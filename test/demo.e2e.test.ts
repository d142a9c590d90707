import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import t from 'tap';
import { eventually } from './support/eventually.js';

/** `npm run demo` as a user runs it: start, open the printed URLs in order, Ctrl-C. */
t.test('demo: the printed create, join and getMeetings URLs work, and SIGINT stops it with exit 0', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const urls = new Map<string, string>();
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const url = /(http:\/\/\S+\/bigbluebutton\/api\/(create|join|getMeetings)\?\S+)/.exec(line);
    if (url) urls.set(url[2]!, url[1]!);
    if (line.startsWith('Ctrl-C stops it')) break;
  }
  lines.close();
  child.stdout!.resume();
  t.same([...urls.keys()], ['create', 'join', 'getMeetings'], `the demo printed its three URLs (exit code ${child.exitCode})`);

  const created = await (await fetch(urls.get('create')!)).text();
  t.match(created, /<returncode>SUCCESS<\/returncode><meetingID>demo-room<\/meetingID>/);

  const redirect = await fetch(urls.get('join')!, { redirect: 'manual' });
  t.equal(redirect.status, 302);
  const followed = await fetch(urls.get('join')!);
  t.equal(followed.status, 200, 'following the redirects ends on a simulated node');
  t.match(followed.url, /^http:\/\/127\.0\.0\.1:\d+\/html5client\/join\?sessionToken=/);
  t.match(await followed.text(), /BBB client/);

  // Joins are recorded once their window (JOIN_RECORD_WINDOW_MS) closes: the list shows them right after.
  const list = async () => (await fetch(urls.get('getMeetings')!)).text();
  await eventually('the joins in getMeetings', async () => /<running>true<\/running>/.test(await list()));
  const listed = await list();
  t.match(listed, /<meetingID>demo-room<\/meetingID>/);
  t.match(listed, /<running>true<\/running>/, 'the joins made it running');

  child.kill('SIGINT');
  t.equal(await exited, 0, 'exits 0 on SIGINT');
});

t.test('demo next to a server on its port / exits 1 saying which variable to change', async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())));
  const { port } = taken.address() as AddressInfo;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.equal(code, 1);
  t.match(stderr, new RegExp(`^bbb-ledger: cannot start: port ${port} on 127\\.0\\.0\\.1 is already in use .*set PORT to a free port, e\\.g\\. PORT=${port + 1}$`, 'm'));
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
});
