import { createHash } from 'node:crypto';
import type pg from 'pg';
import { appendFunctionDdl } from './appendSql.js';
import { inTransaction } from './pgClient.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Only plain lower-case names: the schema is spliced into SQL text (identifiers cannot be bound), and a
 * quoted mixed-case name would be one more way to point two processes at different tables by accident.
 */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`event store schema "${schema}" must match ${SCHEMA_NAME.source} (lower-case letters, digits, _)`);
  }
  return schema;
}

/** One channel per schema, so two stores sharing a server only wake their own subscribers. */
export function notifyChannel(schema: string): string {
  const plain = `es_appended_${schema}`;
  return plain.length <= 63 ? plain : `es_appended_${createHash('sha1').update(schema).digest('hex')}`;
}

function tablesDdl(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS "${s}";

CREATE TABLE IF NOT EXISTS "${s}".es_streams (
  stream_id       text PRIMARY KEY,
  -- revision of the last event ever appended (-1: none); revisions below truncate_before are soft-deleted
  revision        bigint NOT NULL,
  truncate_before bigint NOT NULL DEFAULT 0,
  tombstoned      boolean NOT NULL DEFAULT false,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "${s}".es_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  revision        bigint NOT NULL,
  event_id        uuid NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT es_events_pkey PRIMARY KEY (stream_id, revision),
  CONSTRAINT es_events_stream_event_id UNIQUE (stream_id, event_id)
);

CREATE INDEX IF NOT EXISTS es_events_all ON "${s}".es_events (transaction_id, global_position);
`;
}

/**
 * Idempotent: safe on every start and from several processes at once (an advisory lock serialises the
 * DDL, since concurrent CREATE … IF NOT EXISTS can still collide in the catalogue).
 */
export async function applySchema(pool: pg.Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`bbb-ledger:eventstore:${schema}`]);
    await client.query(tablesDdl(schema));
    await client.query(appendFunctionDdl(schema));
  });
}
