import { readFileSync } from 'node:fs';
import { projectRoot } from './projectRoot.js';

/** This build's version, from package.json (read once at start). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('package.json', projectRoot(import.meta.url)), 'utf8')) as { version: string }).version;
