import { decodeJwt, errors, jwtVerify } from 'jose';
import type { NodeDirectory } from '../../projections/nodeDirectory.js';
import { HttpProblem } from '../problems.js';

/** Longest lifetime a node's upload token may claim: a leaked one is useless an hour later at most. */
const MAX_TOKEN_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 60;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="bbb-ledger node"' };

/** The host a node's token names as `sub`: its registered API URL's host, with `:port` when it has one. */
export const nodeSubject = (apiUrl: string): string => new URL(apiUrl).host.toLowerCase();

/**
 * `Authorization: Bearer <JWT>`, HS256 signed with the node's BBB secret, `sub` = the node's host, `exp`
 * required and at most an hour ahead. Returns the node id.
 */
export async function authenticateNode(authorization: string, nodes: Pick<NodeDirectory, 'nodesForPlacement'>, nowSeconds: number): Promise<string> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw unauthorized('send Authorization: Bearer <JWT signed with the node’s BBB secret, sub = its host>');
  const token = match[1]!;
  let subject: unknown;
  try {
    subject = decodeJwt(token).sub;
  } catch {
    throw unauthorized('the token is not a JWT');
  }
  if (typeof subject !== 'string' || subject === '') throw unauthorized('the token has no sub (the node’s host)');
  const node = nodes.nodesForPlacement().find((n) => nodeSubject(n.apiUrl) === subject.toLowerCase());
  if (!node) throw unauthorized(`no registered node has host ${subject}`);
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(node.secret), { algorithms: ['HS256'], requiredClaims: ['exp'], currentDate: new Date(nowSeconds * 1000), clockTolerance: CLOCK_SKEW_S });
    if (payload.exp! > nowSeconds + MAX_TOKEN_LIFETIME_S + CLOCK_SKEW_S) throw unauthorized('the token’s exp is more than an hour ahead');
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    if (error instanceof errors.JWTExpired) throw unauthorized('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw unauthorized(`the token is missing a claim: ${error.claim}`);
    throw unauthorized('the token is not signed with this node’s BBB secret (HS256)');
  }
  return node.id;
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'UNAUTHORIZED', 'Unauthorized', detail, CHALLENGE);
}
