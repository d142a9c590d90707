import type pg from 'pg';
import { EventStoreError } from '../errors.js';
import { isServerError } from './pgErrors.js';

/**
 * Every statement goes through `query` or `inTransaction` rather than pool.query, because pg-pool
 * discards a client after any failed query. That costs a reconnect on real PostgreSQL for a mere
 * unique violation, and on PGlite it is fatal: all clients share the one in-process connection, and the
 * discarded client's end() terminates the next one.
 */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return withClient(pool, (client) => client.query<R>(text, values));
}

/**
 * Runs `body` in a transaction on one client. `body` must use only `client`: the PGlite pool has one
 * connection, so a second pool query from inside would wait forever.
 */
export async function inTransaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, markBroken) => {
    await client.query('BEGIN');
    try {
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!connectionBroken(error)) await client.query('ROLLBACK').catch(markBroken);
      throw error;
    }
  });
}

/**
 * Holds one client with an 'error' listener (a terminated backend emits 'error', which would crash the
 * process unheard) and returns it to the pool unless its connection is gone.
 */
async function withClient<T>(
  pool: pg.Pool,
  body: (client: pg.PoolClient, markBroken: (error: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    return await body(client, onError);
  } catch (error) {
    if (connectionBroken(error)) broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}

/**
 * Our own typed errors and plain SQL errors leave the session usable; FATAL server errors, admin shutdown
 * and the driver's own errors (socket loss) do not, and an unknown error is not worth the risk.
 */
function connectionBroken(error: unknown): boolean {
  if (error instanceof EventStoreError) return false;
  if (!isServerError(error)) return true;
  const severity = (error as { severity?: unknown }).severity;
  return severity === 'FATAL' || severity === 'PANIC' || error.code.startsWith('57P') || error.code.startsWith('08');
}
