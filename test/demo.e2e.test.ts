import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import t from 'tap';
import { eventually } from './sagas/fleetSupport.js';

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
