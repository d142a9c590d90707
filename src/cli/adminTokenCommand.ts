import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import type { Config } from '../config.js';

const DEFAULT_TTL_S = 24 * 3600;

/**
 * `admin-token [--ttl <seconds>] [--subject <name>]`: an admin API token signed with ADMIN_JWT_SECRET, the key
 * a server started with the same variable checks; printed alone on stdout. Returns the exit code.
 */
export async function adminTokenCommand(argv: string[], config: Pick<Config, 'adminJwtSecret' | 'adminTokenMaxLifetimeS'>, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ttl: { type: 'string' }, subject: { type: 'string' } } });
  if (!config.adminJwtSecret) {
    err('set ADMIN_JWT_SECRET to the value the server runs with (at least 32 characters); without it the server makes a key per run and prints its own token\n');
    return 2;
  }
  const ttl = values.ttl === undefined ? Math.min(DEFAULT_TTL_S, config.adminTokenMaxLifetimeS) : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > config.adminTokenMaxLifetimeS) {
    err(`--ttl must be a whole number of seconds from 1 to ADMIN_TOKEN_MAX_LIFETIME_S (${config.adminTokenMaxLifetimeS})\n`);
    return 2;
  }
  const token = await new SignJWT({ scope: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(values.subject ?? 'cli')
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(new TextEncoder().encode(config.adminJwtSecret));
  out(`${token}\n`);
  return 0;
}
