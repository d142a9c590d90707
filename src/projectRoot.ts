import { existsSync } from 'node:fs';

/**
 * The directory of bbb-ledger's package.json (README.md, docs/ beside it), found from a module's URL by walking
 * up: the same answer from src/ under tsx and from the compiled dist/main.js that `npm start` runs.
 */
export function projectRoot(moduleUrl: string): URL {
  for (let dir = new URL('./', moduleUrl); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir))) return dir;
    if (new URL('../', dir).href === dir.href) throw new Error(`no package.json above ${moduleUrl}`);
  }
}
