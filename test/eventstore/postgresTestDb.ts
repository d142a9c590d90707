import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL 15 server the int and contract tests use (trust auth on the test machines). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run uses; the caller drops it. */
export function uniqueSchema(purpose: string): string {
  return `es_${purpose}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
