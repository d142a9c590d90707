/**
 * The server versions the adapter is built and tested for, and what it must bridge per version. Read in
 * kurrent-io/KurrentDB (docs/decisions.md, 2026-12-04): positions on stream reads from 22.6, `caughtUp`
 * from 23.10; 22.10 is the oldest release still documented, 25.1 the newest read.
 */
export const SUPPORTED_RANGE = { oldest: '22.10', newest: '25.1' } as const;

export interface ServerTraits {
  version: string;
  /** Whether catch-up subscriptions end their history with `caughtUp` (23.10+); else the adapter synthesises it. */
  sendsCaughtUp: boolean;
  /** Set for a version newer than the newest read: it is used, with a warning to the operator. */
  warning?: string;
}

/** @throws Error naming the supported range, for a version too old or unknown (no ServerFeatures: < 21.10). */
export function serverTraits(version: string): ServerTraits {
  const parsed = parse(version);
  const range = `${SUPPORTED_RANGE.oldest} to ${SUPPORTED_RANGE.newest}`;
  if (!parsed) {
    throw new Error(`EventStoreDB did not report its version (ServerFeatures is served from 21.10): this adapter supports ${range}; upgrade the server`);
  }
  if (compare(parsed, parse(SUPPORTED_RANGE.oldest)!) < 0) {
    throw new Error(`EventStoreDB ${version} is older than this adapter supports (${range}); upgrade the server`);
  }
  const traits: ServerTraits = { version, sendsCaughtUp: compare(parsed, [23, 10]) >= 0 };
  const [newestMajor, newestMinor] = parse(SUPPORTED_RANGE.newest)!;
  if (compare(parsed, [newestMajor, newestMinor + 1]) >= 0) {
    traits.warning = `EventStoreDB ${version} is newer than the versions this adapter was checked against (${range}); run the contract suite against it (infra/esdb/contract.sh)`;
  }
  return traits;
}

function parse(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}
