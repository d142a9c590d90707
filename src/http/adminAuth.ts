import type { Context, Next } from 'koa';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { HttpProblem } from './problems.js';

export interface AdminPrincipal {
  /** The token's `sub`, or `unknown`; becomes the `admin:<subject>` actor of events. */
  subject: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="bbb-ledger admin"' };

/** `Authorization: Bearer <HS256 JWT>` whose `scope` (space-separated string or array) includes `admin`. */
export function requireAdmin(key: Uint8Array) {
  return async function requireAdminMiddleware(ctx: Context, next: Next): Promise<void> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
    if (!match) throw unauthorized('send Authorization: Bearer <admin JWT>');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1]!, key, { algorithms: ['HS256'] }));
    } catch (error) {
      const reason = error instanceof errors.JWTExpired ? 'the token has expired' : 'the token is not a valid HS256 JWT signed with this server key';
      throw unauthorized(reason);
    }
    if (!scopes(payload.scope).includes('admin')) {
      throw new HttpProblem(403, 'FORBIDDEN', 'Forbidden', 'the token lacks the "admin" scope');
    }
    const principal: AdminPrincipal = { subject: typeof payload.sub === 'string' && payload.sub ? payload.sub : 'unknown' };
    ctx.state.admin = principal;
    await next();
  };
}

function scopes(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'UNAUTHORIZED', 'Unauthorized', detail, CHALLENGE);
}
