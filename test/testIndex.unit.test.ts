import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import t from 'tap';
import ts from 'typescript';

/**
 * Keeps test/README.md true: every file under src/ with logic has a test named after it
 * (`test/**\/<name>.<kind>.test.ts`) or a line in test/README.md naming the test that covers it.
 * Exempt by rule: files of types only and barrels (nothing but imports, re-exports, types and interfaces).
 */

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.name.endsWith('.ts') ? [path] : [];
  });

function hasLogic(path: string): boolean {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  return !source.statements.every(
    (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s),
  );
}

/** `- \`src/x.ts\` — \`test/a.test.ts\`, \`test/b.test.ts\`` lines of test/README.md. */
function indexLines(): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  for (const line of readFileSync('test/README.md', 'utf8').split('\n')) {
    const entry = /^- `(src\/[^`]+\.ts)` — (.+)$/.exec(line);
    if (entry) lines.set(entry[1]!, [...entry[2]!.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]!));
  }
  return lines;
}

const testNames = filesUnder('test').filter((path) => path.endsWith('.test.ts')).map((path) => basename(path));
const namedTestOf = (path: string) => testNames.some((name) => name.startsWith(`${basename(path, '.ts')}.`));

t.test('every src file with logic has a test named after it or a line in test/README.md saying which test covers it', async (t) => {
  const index = indexLines();
  const missing = filesUnder('src').filter((path) => hasLogic(path) && !namedTestOf(path) && !index.has(path));
  t.same(missing, [], `add a test named after each file, or a line "- \`src/….ts\` — \`test/….test.ts\`" to test/README.md naming the test that covers it`);
});

t.test('every line of test/README.md names a src file that exists and tests that exist', async (t) => {
  const stale: string[] = [];
  for (const [source, tests] of indexLines()) {
    if (!existsSync(source)) stale.push(`${source} is gone: remove its line`);
    if (tests.length === 0) stale.push(`${source} names no test`);
    for (const test of tests) if (!existsSync(test)) stale.push(`${source}: ${test} does not exist`);
  }
  t.same(stale, []);
});

t.test('the rule tells logic from types and barrels', async (t) => {
  t.notOk(hasLogic('src/domain/decider.ts'), 'interfaces only');
  t.ok(hasLogic('src/domain/streams.ts'), 'functions');
  t.ok(namedTestOf('src/domain/ids.ts'));
  t.notOk(namedTestOf('src/serve.ts'));
});
