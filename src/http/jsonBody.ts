import type { Context } from 'koa';
import { HttpProblem } from './problems.js';
import { refuseUnstorableBody } from './unstorableInput.js';

const DEFAULT_LIMIT = 64 * 1024;

/** The request's JSON body, refusing other media types, oversize bodies, malformed JSON and text PostgreSQL cannot store with a 4xx. */
export async function readJsonBody(ctx: Context, limitBytes = DEFAULT_LIMIT): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', 'send Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new HttpProblem(413, 'BODY_TOO_LARGE', 'Body too large', `the body exceeds ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'MALFORMED_JSON', 'Malformed JSON', 'the body is not valid JSON');
  }
  refuseUnstorableBody(body);
  return body;
}
