/** The PostgreSQL 15 server the int and contract tests use (trust auth on the test machines). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
