import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';

// Merges land in waves from several branches; a conflict block left in prose (README, docs) breaks no compiler.
const ROOT = new URL('../', import.meta.url);
const MARKER = /^(<{7}|>{7}) |^={7}$/m;

t.test('no tracked text file holds a merge conflict marker', async (t) => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter((f) => /\.(ts|md|json|yml|yaml|sh|rb|txt|css|html)$/.test(f) || f === '.ci/run');
  t.ok(files.length > 100, `${files.length} files read`);
  const marked = files.filter((f) => MARKER.test(readFileSync(new URL(f, ROOT), 'utf8')));
  t.same(marked, []);
});
