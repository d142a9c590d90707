import type { Context, Next } from 'koa';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { HttpProblem } from './problems.js';

export interface AdminPrincipal {
  /** The token's `sub`, or `unknown`; becomes the `admin:<subject>` actor of events. */
  subject: string;
}

/** What an admin token must carry besides a valid signature and the `admin` scope. */
export interface AdminTokenPolicy {
  /** `ADMIN_TOKEN_ALLOW_NO_EXP`: accept tokens that never expire. */
  allowNoExp: boolean;
  /** `ADMIN_TOKEN_MAX_LIFETIME_S`: the longest a token may still be valid, counted from now. */
  maxLifetimeS: number;
}

export const DEFAULT_ADMIN_TOKEN_POLICY: AdminTokenPolicy = { allowNoExp: false, maxLifetimeS: 7 * 24 * 3600 };

/** Clocks of token minters and this server differ by this much at most. */
const CLOCK_TOLERANCE_S = 60;

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="bbb-ledger admin"' };

/**
 * `Authorization: Bearer <HS256 JWT>` whose `scope` (space-separated string or array) includes `admin`, with an
 * `exp` no further away than the policy's lifetime: a leaked token stops working on its own.
 */
export function requireAdmin(key: Uint8Array, policy: AdminTokenPolicy = DEFAULT_ADMIN_TOKEN_POLICY) {
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
    const lifetimeProblem = lifetimeProblemOf(payload, policy, Date.now() / 1000);
    if (lifetimeProblem) throw unauthorized(lifetimeProblem);
    if (!scopes(payload.scope).includes('admin')) {
      throw new HttpProblem(403, 'FORBIDDEN', 'Forbidden', 'the token lacks the "admin" scope');
    }
    const principal: AdminPrincipal = { subject: typeof payload.sub === 'string' && payload.sub ? payload.sub : 'unknown' };
    ctx.state.admin = principal;
    await next();
  };
}

function lifetimeProblemOf(payload: JWTPayload, policy: AdminTokenPolicy, nowS: number): string | undefined {
  if (payload.exp === undefined) {
    return policy.allowNoExp ? undefined : 'the token has no "exp"; mint it with an expiry (at most ADMIN_TOKEN_MAX_LIFETIME_S ahead), or set ADMIN_TOKEN_ALLOW_NO_EXP=true';
  }
  if (payload.exp - nowS > policy.maxLifetimeS + CLOCK_TOLERANCE_S) {
    return `the token is valid for longer than ADMIN_TOKEN_MAX_LIFETIME_S (${policy.maxLifetimeS} s); mint one with an earlier "exp"`;
  }
  return undefined;
}

function scopes(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'UNAUTHORIZED', 'Unauthorized', detail, CHALLENGE);
}
