import { parseArgs } from 'node:util';
import { DomainError } from '../domain/errors.js';
import type { EventStore } from '../eventstore/port.js';
import { fleetAsOf } from '../history/fleetAsOf.js';
import { parsePastInstant } from '../history/instants.js';
import { explainPlacement } from '../history/placementWhy.js';
import { readStreamHistory } from '../history/streamHistory.js';
import { streamStateAsOf } from '../history/streamAsOf.js';

export type Write = (text: string) => void;

const PAGE = 1000;

/** `history <stream> [--json]`: every event of the stream, one line each (or JSON lines). Returns the exit code. */
export async function historyCommand(argv: string[], store: EventStore, out: Write, err: Write): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const stream = positionals[0];
  if (!stream || positionals.length > 1) return usage(err, 'history <stream> [--json]   e.g. node-<id>, tenant-<name>, meeting-<…>');
  return refusing(err, async () => {
    for (let from: number | null = 0; from !== null; ) {
      const page = await readStreamHistory(store, stream, { from, limit: PAGE });
      for (const e of page.events) {
        out(values.json ? `${JSON.stringify(e)}\n` : `${e.revision}\t${e.at}\t${e.type}\t${e.actor}\tcorrelation=${e.correlationId}\tcausation=${e.causationId}\t${JSON.stringify(e.data)}\n`);
      }
      from = page.next;
    }
  });
}

/** `as-of <ISO instant> [--stream <stream>]`: one aggregate's state, or the whole fleet, as JSON. */
export async function asOfCommand(argv: string[], store: EventStore, out: Write, err: Write, now: Date): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { stream: { type: 'string' } } });
  if (positionals.length !== 1) return usage(err, 'as-of <ISO-8601 instant, e.g. 2026-11-23T10:00:00Z> [--stream <stream>]');
  return refusing(err, async () => {
    const at = parsePastInstant(positionals[0], 'the instant', now);
    const state = values.stream ? await streamStateAsOf(store, values.stream, at) : await fleetAsOf(store, { at });
    out(`${JSON.stringify(state, null, 2)}\n`);
  });
}

/** `why <scope> <meetingID>`: the placement of the meeting and the fleet just before it, as JSON. */
export async function whyCommand(argv: string[], store: EventStore, out: Write, err: Write): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [scope, meetingID] = positionals;
  if (!scope || !meetingID || positionals.length > 2) return usage(err, 'why <scope> <meetingID>   e.g. why acme physics-101');
  return refusing(err, async () => out(`${JSON.stringify(await explainPlacement(store, scope, meetingID), null, 2)}\n`));
}

function usage(err: Write, text: string): number {
  err(`usage: npm run ledger -- ${text}\n`);
  return 2;
}

/** Bad input and missing streams are answers for the operator (exit 1), not crashes. */
async function refusing(err: Write, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    err(`${error.message}\n`);
    return 1;
  }
}
