/** A database of its own for one bench run, created beside DATABASE_URL's and dropped afterwards. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withFreshDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `bbb_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(BENCH_DATABASE_URL);
    url.pathname = `/${name}`;
    try {
      return await work(url.href);
    } finally {
      await dropWhenUnused(admin, name);
    }
  } finally {
    await admin.end();
  }
}

/** Without FORCE: a pool the product left open would crash on a killed connection; its idle clients end within 10 s. */
async function dropWhenUnused(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      if (attempt >= 6) return console.warn(`could not drop database ${name} (drop it by hand): ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}
