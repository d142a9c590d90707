import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';

/** The PostgreSQL 15 server the int and contract tests use (trust auth on the test machines). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run uses; the caller drops it. */
export function uniqueSchema(purpose: string): string {
  return `es_${purpose}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** A database of its own, dropped at teardown (the Postgres event store keeps its tables in `public`); its URL. */
export async function freshDatabase(t: Test): Promise<string> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const name = `ledger_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.href;
}
